"""Fuzzing through the real HTTP client: the update form, the workflow forms, the admin's
forms, the list pages' query strings and the import get arbitrary and hostile input.

No request may end in HTTP 500 (the test client re-raises the error, so hypothesis
shrinks it to the smallest input), and a request that does not succeed (anything but a
redirect after a save) changes nothing. `REQUESTS` counts the requests by status code,
for the record of how many were tried.
"""

import io
from collections import Counter
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from measures.constants import PeriodKind, PolicyDomain, UpdateState
from measures.models import (
    Adjustment,
    Assessment,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    TargetRevision,
    UpdateYear,
    YearTarget,
)
from tests.test_hostile_input import admin_change_data
from tests.workflow import form_data, open_period, update_of

REQUESTS: Counter = Counter()

FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    # The client, users and demo data are made once per test and shared by its examples:
    # the examples run one after the other in the test's transaction.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Input that broke something somewhere once, or could: foreign digits, signs, PM,
# separators, huge and negative numbers, NUL bytes, HTML, formulas, impossible dates.
NASTY = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "PM",
    "p.m.",
    "1.580.000",
    "1.580.000,-",
    "82,5",
    "١٢٣",
    "１２３",
    "--5",
    "- -5",
    "9" * 40,
    "9223372036854775808",
    "-9223372036854775809",
    "1e308",
    "NaN",
    "\x00",
    "1\x00",
    "<script>alert(1)</script>",
    '=HYPERLINK("https://evil.example")',
    "'; DROP TABLE measures_measure; --",
    "2020-02-30",
    "9999-12-31",
    "0001-01-01",
    "31-12-2020",
    "٦",
    "６",
    "6\n",
    "6.1",
    "2021",
    "٢٠٢١",
    "abc",
    "\u202egnp.exe",
    "x" * 5000,
]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
VALUE = st.one_of(st.sampled_from(NASTY), TEXT, st.integers(-(2**70), 2**70).map(str))


def values_for(names) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.sampled_from(sorted(names)), VALUE, max_size=8)


def fuzzed(client, method: str, url: str, data=None, **kwargs):
    REQUESTS["requests"] += 1
    response = getattr(client, method)(url, data, **kwargs)
    REQUESTS[response.status_code] += 1
    assert response.status_code != 500
    return response


@contextmanager
def rolled_back():
    """Every example starts from the same data: what it wrote is undone afterwards, so
    that hypothesis can replay and shrink a failing example."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def fuzz_form(client, url: str, base: dict, draw, state) -> None:
    """POST the form with some fields replaced by fuzz, some left out and some added; a
    refused form (anything but the redirect after saving) leaves `state()` as it was."""
    changes = draw(values_for(set(base) | {"extra", "_save", "submit"}))
    dropped = draw(st.sets(st.sampled_from(sorted(base)), max_size=3))
    data = {name: value for name, value in base.items() if name not in dropped} | changes
    with rolled_back():
        before = state()
        response = fuzzed(client, "post", url, data)
        if response.status_code != 302:
            assert state() == before, data


def rows(queryset) -> list[dict]:
    return list(queryset.order_by("pk").values())


@pytest.fixture
def demo_client(client, almelo):
    def login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


# The update form and the workflow forms.


@FUZZ
@given(draw=st.data())
def test_fuzzing_the_update_form(demo_client, draw):
    client = demo_client("invoerder")
    update = update_of("Stoppen met dienstencheques")
    url = reverse("update_form", args=[update.pk])

    def state():
        return rows(MeasureUpdate.objects.filter(pk=update.pk)), rows(
            UpdateYear.objects.filter(parent_id=update.pk)
        )

    fuzz_form(client, url, form_data(update_of("Stoppen met dienstencheques")), draw.draw, state)


@pytest.fixture
def submitted_update(almelo):
    return MeasureUpdate.objects.filter(period=open_period(), state=UpdateState.SUBMITTED)[0]


@FUZZ
@given(draw=st.data())
def test_fuzzing_returning_an_update(demo_client, submitted_update, draw):
    client = demo_client("controller")
    url = reverse("return_update", args=[submitted_update.pk])

    def state():
        return rows(MeasureUpdate.objects.filter(pk=submitted_update.pk))

    fuzz_form(client, url, {"reason": "Graag de prognose onderbouwen."}, draw.draw, state)


@FUZZ
@given(draw=st.data())
def test_fuzzing_revising_a_target(demo_client, almelo, draw):
    client = demo_client("controller")
    target = YearTarget.objects.get(measure__title="Dagstructurering", year=2022)
    task = SavingsTask.objects.get(programme=almelo, year=2022)
    base = {
        "target": draw.draw(st.sampled_from([f"target-{target.pk}", f"task-{task.pk}"])),
        "new_amount": "400.000",
        "reason": "Amendement",
        "decision_reference": "BW-7421",
        "decided_on": "2020-11-10",
    }

    def state():
        return (
            rows(TargetRevision.objects.all()),
            rows(YearTarget.objects.filter(measure__programme=almelo)),
            rows(SavingsTask.objects.filter(programme=almelo)),
        )

    fuzz_form(client, reverse("revise_target", args=[almelo.pk]), base, draw.draw, state)


@FUZZ
@given(
    ids=st.lists(
        st.one_of(st.sampled_from(["submitted", "own"]), st.sampled_from(NASTY), VALUE),
        max_size=4,
    ),
    unchanged=st.one_of(st.sampled_from(["draft", "returned"]), st.integers(-5, 10**12)),
)
def test_fuzzing_approving_and_submitting_updates(demo_client, almelo, ids, unchanged):
    """Approving several updates at once, and submitting one unchanged: ids of every kind."""
    updates = MeasureUpdate.objects.filter(period=open_period())
    known = {
        "submitted": str(updates.filter(state=UpdateState.SUBMITTED)[0].pk),
        "own": str(updates.filter(state=UpdateState.SUBMITTED)[1].pk),
        "draft": updates.filter(state=UpdateState.DRAFT)[0].pk,
        "returned": updates.filter(state=UpdateState.RETURNED)[0].pk,
    }
    with rolled_back():
        client = demo_client("controller")
        fuzzed(client, "post", reverse("approvals"), {"update": [known.get(i, i) for i in ids]})
        client = demo_client("invoerder")
        pk = known.get(unchanged, unchanged)
        fuzzed(client, "post", f"/updates/{pk}/indienen/", {})


@FUZZ
@given(draw=st.data())
def test_fuzzing_opening_a_period(demo_client, almelo, draw):
    client = demo_client("controller")
    base = {
        "programme": str(almelo.pk),
        "name": "Voorjaarsnota 2021",
        "kind": draw.draw(st.sampled_from(PeriodKind.values)),
        "reference_date": "2021-04-01",
        "deadline": "2021-04-15",
    }

    def state():
        return rows(ReportingPeriod.objects.all()), MeasureUpdate.objects.count()

    fuzz_form(client, reverse("periods"), base, draw.draw, state)


@FUZZ
@given(pk=st.one_of(st.integers(-5, 10**12), st.sampled_from(["open", "closed"])), data=VALUE)
def test_fuzzing_closing_a_period(demo_client, almelo, pk, data):
    """The open period has updates waiting for approval, so no close may succeed."""
    client = demo_client("controller")
    if pk in ("open", "closed"):
        pk = almelo.periods.get(is_closed=pk == "closed").pk
    with rolled_back():
        before = rows(ReportingPeriod.objects.all())
        fuzzed(client, "post", f"/rapportagemomenten/{pk}/afsluiten/", {"confirm": data})
        assert rows(ReportingPeriod.objects.all()) == before


# The admin's add and change forms.


def measure_state():
    return rows(Measure.objects.all()), rows(YearTarget.objects.all())


@pytest.fixture
def measure_add_data(almelo):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    data = {
        "programme": str(almelo.pk),
        "plan": str(plan.pk),
        "number": "9",
        "title": "Nieuwe maatregel",
        "description": "",
        "domain": PolicyDomain.WMO.value,
        "goal": str(Goal.objects.filter(programme=almelo).first().pk),
        "volume_unit": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-year": "2021",
        "targets-0-amount": "1.580.000",
        "targets-1-year": "2022",
        "targets-1-amount": "PM",
        "assessments-TOTAL_FORMS": "0",
        "assessments-INITIAL_FORMS": "0",
        "assessments-MIN_NUM_FORMS": "0",
        "assessments-MAX_NUM_FORMS": "1000",
    }
    return data


@FUZZ
@given(draw=st.data())
def test_fuzzing_adding_a_measure_in_the_admin(demo_client, measure_add_data, draw):
    client = demo_client("controller")
    url = reverse("admin:measures_measure_add")
    fuzz_form(client, url, measure_add_data, draw.draw, measure_state)


@pytest.fixture
def measure_change(demo_client):
    measure = Measure.objects.get(title="Dagstructurering")
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    return url, admin_change_data(demo_client("controller"), url)


@FUZZ
@given(draw=st.data())
def test_fuzzing_changing_a_measure_and_its_targets_in_the_admin(measure_change, client, draw):
    url, base = measure_change
    fuzz_form(client, url, base, draw.draw, measure_state)


@pytest.fixture
def programme_change(demo_client, almelo):
    url = reverse("admin:measures_programme_change", args=[almelo.pk])
    return url, admin_change_data(demo_client("controller"), url)


@FUZZ
@given(draw=st.data(), swap=st.booleans())
def test_fuzzing_changing_savings_tasks_in_the_admin(programme_change, client, almelo, draw, swap):
    url, base = programme_change
    base = dict(base)
    if swap:
        first, second = "savings_tasks-0-year", "savings_tasks-1-year"
        base[first], base[second] = base[second], base[first]

    def state():
        return (
            rows(Programme.objects.filter(pk=almelo.pk)),
            rows(SavingsTask.objects.filter(programme=almelo)),
            rows(Adjustment.objects.filter(programme=almelo)),
            rows(Goal.objects.filter(programme=almelo)),
        )

    fuzz_form(client, url, base, draw.draw, state)


@FUZZ
@given(draw=st.data())
def test_fuzzing_changing_a_period_in_the_admin(demo_client, draw):
    client = demo_client("controller")
    url = reverse("admin:measures_reportingperiod_change", args=[open_period().pk])
    base = admin_change_data(client, url)

    def state():
        return rows(ReportingPeriod.objects.all())

    fuzz_form(client, url, base, draw.draw, state)


# Query strings of the list pages.

LIST_PAGES = {
    "overview": (
        "periode",
        "plan",
        "status",
        "domain",
        "owner",
        "concepten",
        "taakstelling",
        "_export",
    ),
    "imports:measures_export": ("periode", "formaat"),
    "admin:measures_measure_changelist": (
        "status",
        "programme__id__exact",
        "plan__id__exact",
        "owner__id__exact",
        "domain__exact",
        "q",
        "o",
        "p",
        "all",
        "e",
    ),
    "admin:measures_reportingperiod_changelist": (
        "reference_date__year",
        "reference_date__month",
        "is_closed__exact",
        "kind__exact",
        "q",
        "o",
        "p",
    ),
    "admin:measures_assessment_changelist": ("period__id__exact", "status__id__exact", "q"),
    "admin:imports_importrecord_changelist": (
        "created_at__year",
        "created_at__month",
        "created_at__day",
        "status__exact",
        "q",
    ),
    "my_measures": ("x",),
    "approvals": ("x",),
    "periods": ("x",),
}


@FUZZ
@given(
    page=st.sampled_from(sorted(LIST_PAGES)),
    draw=st.data(),
)
def test_fuzzing_the_query_strings_of_the_list_pages(demo_client, page, draw):
    client = demo_client("controller")
    query = draw.draw(st.dictionaries(st.sampled_from(LIST_PAGES[page]), VALUE, max_size=4))
    if page == "imports:measures_export" and query.get("formaat") in ("xlsx", None):
        query["formaat"] = "csv"  # the XLSX export is slow and fuzzed no differently
    if page == "overview" and query.get("_export") == "xlsx":
        query["_export"] = "csv"
    response = fuzzed(client, "get", reverse(page), query)
    assert response.status_code in (200, 302, 404)


# Uploads to the import.

HEADER = ["Maatregelenplan", "Volgnr", "Titel", "2021", "2022", "Op koers", "Toelichting"]


# A measure row as the template has it; the fuzz replaces some of its cells.
VALID_ROW = ["Maatregelenplan 2", "9", "Nieuwe maatregel", "1.580", "PM", "Ja", "Loopt"]


def cells(draw) -> list[list]:
    row = st.dictionaries(st.integers(0, len(HEADER) - 1), VALUE, max_size=3).map(
        lambda changes: [changes.get(index, value) for index, value in enumerate(VALID_ROW)]
    )
    body = draw(st.lists(st.one_of(row, st.lists(VALUE, max_size=len(HEADER))), max_size=4))
    return [
        ["Eenheid bedragen:", draw(st.sampled_from(["x € 1.000", "euro", "??"]))],
        HEADER,
        *body,
    ]


def csv_upload(rows_: list[list]) -> bytes:
    return "\r\n".join(";".join(str(v).replace(";", ",") for v in row) for row in rows_).encode()


def xlsx_upload(rows_: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows_:
        workbook.active.append(
            ["".join(c for c in str(v) if c >= " " or c in "\t\n\r") if v else v for v in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_state():
    return (
        rows(Measure.objects.all()),
        rows(YearTarget.objects.all()),
        rows(MeasurePlan.objects.all()),
        rows(Assessment.objects.all()),
    )


@FUZZ
@given(kind=st.sampled_from(["csv", "xlsx", "bytes"]), period=st.booleans(), draw=st.data())
def test_fuzzing_uploads_to_the_import(demo_client, almelo, kind, period, draw):
    client = demo_client("controller")
    if kind == "bytes":
        content = draw.draw(st.binary(max_size=2000))
    else:
        content = (csv_upload if kind == "csv" else xlsx_upload)(cells(draw.draw))
    upload = io.BytesIO(content)
    upload.name = draw.draw(st.sampled_from(["m.csv", "m.xlsx", "m", "../../m.csv", "m.xls"]))
    data = {
        "programme": draw.draw(st.one_of(st.just(str(almelo.pk)), VALUE)),
        "period": str(open_period().pk) if period else "",
        "file": upload,
    }
    wrong_digest = draw.draw(st.one_of(TEXT, st.just("")))
    with rolled_back():
        before = import_state()
        response = fuzzed(client, "post", reverse("imports:start"), data)
        assert import_state() == before
        if response.status_code == 302:
            fuzzed(client, "post", response["Location"], {"digest": wrong_digest})
            assert import_state() == before
