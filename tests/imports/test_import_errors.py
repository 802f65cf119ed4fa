"""All or nothing: one bad row and nothing is imported, with every problem listed at its
cell; closed periods are refused; a preview that went stale is not applied."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from imports.columns import Unit
from imports.models import ImportRecord, ImportStatus
from imports.parsing import CellProblem, amount_value
from measures import services
from measures.models import Measure, YearTarget
from measures.overview import Amount
from tests.imports.conftest import (
    HEADER,
    almelo_rows,
    confirm,
    digest_in,
    preview_and_confirm,
    upload,
    xlsx,
)


def nothing_imported(programme):
    return not programme.measures.exists() and not programme.plans.exists()


def test_one_bad_row_imports_nothing_and_every_problem_is_listed_at_its_cell(
    zorg, midterm, controller_client
):
    rows = almelo_rows()
    rows[5][5] = "2.25l"  # Dagstructurering 2020
    rows[9][8] = "Misschien"  # Aanpassing PGB tarieven, Op koers
    rows[15][2] = "7"  # 6.2 renumbered to 7, so the next row's 7 is a duplicate
    response = upload(controller_client, xlsx(rows), programme=zorg, period=midterm)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets geïmporteerd: 3 fouten" in page
    assert "Regel 6, kolom F (2020)</a>: “2.25l” is geen bedrag." in page
    assert (
        "Regel 10, kolom I (Op koers)</a>: Onbekende status “Misschien”. Kies uit: Ja, Nee, -."
        in page
    )
    assert "Regel 17, kolom C (Volgnr)</a>: Deze maatregel staat ook op regel 16." in page
    assert 'id="regel-6"' in page and "cell--problem" in page
    assert nothing_imported(zorg)
    record = ImportRecord.objects.get()
    assert record.status == ImportStatus.REFUSED and record.content is None
    assert [(p["row"], p["column"]) for p in record.problems] == [(6, 6), (10, 9), (17, 3)]


def test_command_prints_the_same_problems_and_imports_nothing(zorg, midterm, tmp_path):
    rows = almelo_rows()
    rows[5][5] = "2.25l"
    path = tmp_path / "fout.xlsx"
    path.write_bytes(xlsx(rows))
    with pytest.raises(Exception, match="Niets geïmporteerd") as raised:
        call_command(
            "import_measures",
            str(path),
            "--programme",
            zorg.name,
            "--period",
            midterm.name,
            "--user",
            "controller",
        )
    assert raised.typename == "CommandError"
    assert nothing_imported(zorg)


def test_command_dry_run_prints_the_preview_and_changes_nothing(zorg, midterm, tmp_path, capsys):
    path = tmp_path / "almelo.xlsx"
    path.write_bytes(xlsx(almelo_rows()))
    call_command(
        "import_measures",
        str(path),
        "--programme",
        zorg.name,
        "--period",
        midterm.name,
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "15 regels met maatregelen gelezen: 15 nieuw, 0 gewijzigd, 0 ongewijzigd." in out
    assert "Regel 5  nieuw  Maatregelenplan 1 · 1 Doorbraakmethode" in out
    assert "2020: 2.251" in out and "Proefdraai: er is niets gewijzigd" in out
    assert nothing_imported(zorg)
    assert ImportRecord.objects.get().status == ImportStatus.PREVIEW

    call_command(
        "import_measures",
        str(path),
        "--programme",
        zorg.name,
        "--period",
        midterm.name,
        "--user",
        "controller",
    )
    assert zorg.measures.count() == 15
    record = ImportRecord.objects.order_by("pk").last()
    assert record.status == ImportStatus.APPLIED and record.user.username == "controller"
    history = Measure.history.filter(programme_id=zorg.pk)
    assert {entry.history_user.username for entry in history} == {"controller"}
    call_command(
        "import_measures",
        str(path),
        "--programme",
        zorg.name,
        "--period",
        midterm.name,
        "--user",
        "controller",
    )
    assert "0 nieuw, 0 gewijzigd, 15 ongewijzigd" in capsys.readouterr().out


def test_import_into_a_closed_period_is_refused(almelo, controller_client):
    period = almelo.periods.get(name="Midterm review 2020")
    assert period.is_closed
    response = upload(controller_client, xlsx(almelo_rows()), programme=almelo, period=period)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Het rapportagemoment Midterm review 2020 is afgesloten" in page
    assert not ImportRecord.objects.exists()


def test_command_into_a_closed_period_is_refused(almelo, tmp_path):
    path = tmp_path / "almelo.xlsx"
    path.write_bytes(xlsx(almelo_rows()))
    before = list(YearTarget.objects.order_by("pk").values_list("amount", flat=True))
    with pytest.raises(Exception, match="Niets geïmporteerd"):
        call_command(
            "import_measures",
            str(path),
            "--programme",
            almelo.name,
            "--period",
            "Midterm review 2020",
            "--user",
            "controller",
        )
    record = ImportRecord.objects.get()
    assert "is afgesloten" in record.problems[0]["message"]
    assert list(YearTarget.objects.order_by("pk").values_list("amount", flat=True)) == before


def test_period_closed_after_the_preview_is_refused_at_confirmation(
    zorg, midterm, controller, controller_client
):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview = controller_client.get(response["Location"]).content.decode()
    services.close_period(period=midterm, user=controller)
    confirmed = confirm(controller_client, response["Location"], {"digest": digest_in(preview)})
    assert "Er is niets geïmporteerd: de import is geweigerd." in confirmed.job_page
    assert "Import niet uitgevoerd" in confirmed.page and "is afgesloten" in confirmed.page
    assert nothing_imported(zorg)
    assert ImportRecord.objects.get().status == ImportStatus.REFUSED


def test_a_change_after_the_preview_shows_a_new_preview_instead_of_importing(
    zorg, midterm, controller_client
):
    preview_and_confirm(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    rows = almelo_rows()
    rows[4][5] = "2.300"  # Doorbraakmethode 2020: 2.251 -> 2.300
    response = upload(controller_client, xlsx(rows), programme=zorg, period=midterm)
    preview = controller_client.get(response["Location"]).content.decode()
    assert "0 nieuw, 1 gewijzigd, 14 ongewijzigd" in preview
    target = YearTarget.objects.get(
        measure__programme=zorg, measure__title="Doorbraakmethode", year=2021
    )
    target.amount = 3_800_000
    target.save()

    # Changed targets are council decisions (issue 13 item 5).
    decision = {"decision_reference": "BW-7500", "decided_on": "2020-11-10"}
    again = confirm(
        controller_client, response["Location"], {"digest": digest_in(preview), **decision}
    )
    page = again.page
    assert "Er is intussen iets veranderd" in again.job_page
    assert "0 nieuw, 1 gewijzigd, 14 ongewijzigd" in page and "3.800" in page
    target.refresh_from_db()
    assert target.amount == 3_800_000
    assert YearTarget.objects.get(measure=target.measure, year=2020).amount == 2_251_000

    confirm(controller_client, response["Location"], {"digest": digest_in(page), **decision})
    target.refresh_from_db()
    assert target.amount == 3_750_000
    assert YearTarget.objects.get(measure=target.measure, year=2020).amount == 2_300_000


def test_a_second_confirmation_does_nothing(zorg, midterm, controller_client):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    digest = digest_in(controller_client.get(response["Location"]).content.decode())
    confirm(controller_client, response["Location"], {"digest": digest})
    second = controller_client.post(response["Location"], {"digest": digest})
    assert second.status_code == 200 and "Import uitgevoerd" in second.content.decode()
    assert zorg.measures.count() == 15


def test_statuses_without_a_period_are_refused(zorg, controller_client):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg)
    assert "Kies een rapportagemoment om de kolommen Op koers en Toelichting in te lezen" in (
        response.content.decode()
    )
    assert nothing_imported(zorg)


def test_targets_alone_import_without_a_period(zorg, controller_client):
    rows = [row[:8] for row in almelo_rows()]
    preview_and_confirm(controller_client, xlsx(rows), programme=zorg)
    assert zorg.measures.count() == 15
    assert YearTarget.objects.filter(measure__programme=zorg).count() == 44


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda rows: rows.append([None, None, None, "Subtotaal Maatregelenplan 1", 1440]),
            "Koersmonitor rekent die zelf uit; haal de regel weg.",
        ),
        (
            lambda rows: rows.insert(4, [None, None, None, "Maatregelenplan 1 (BW-6696)"]),
            "Dit lijkt de kopregel van een maatregelenplan.",
        ),
        (
            lambda rows: rows[13].__setitem__(5, 10),
            "6 heeft deelmaatregelen; zet de bedragen bij de deelmaatregelen",
        ),
        (
            lambda rows: rows[4].__setitem__(2, ""),
            "Een maatregel in een maatregelenplan heeft een volgnummer.",
        ),
        (
            lambda rows: rows[4].__setitem__(2, "1a"),
            "Een volgnummer bestaat uit cijfers, eventueel met punten",
        ),
        (lambda rows: rows[4].__setitem__(3, ""), "De titel ontbreekt."),
        (
            lambda rows: rows.__setitem__(1, ["Overzicht maatregelen"]),
            "zegt niet of de bedragen in hele euro&#x27;s of in duizenden euro&#x27;s staan.",
        ),
        (
            lambda rows: rows[4].__setitem__(1, "BW-1"),
            "Eerder in het bestand heeft Maatregelenplan 1 besluitnummer BW-1.",
        ),
    ],
    ids=[
        "subtotal row",
        "plan heading row",
        "amounts on a heading",
        "no number",
        "bad number",
        "no title",
        "no unit",
        "two decision numbers",
    ],
)
def test_rows_that_cannot_be_imported_say_why(zorg, midterm, controller_client, change, message):
    rows = almelo_rows()
    change(rows)
    response = upload(controller_client, xlsx(rows), programme=zorg, period=midterm)
    assert message in response.content.decode()
    assert nothing_imported(zorg)


def test_missing_columns_are_named(zorg, controller_client):
    rows = [["Bedragen x € 1.000"], ["Omschrijving", 2019, 2020], ["Doorbraakmethode", 750, 2251]]
    page = upload(controller_client, xlsx(rows), programme=zorg).content.decode()
    assert "De kolom Maatregelenplan, Volgnr ontbreekt in de kopregel." in page


def test_unknown_columns_are_reported_and_left_alone(zorg, controller_client):
    rows = [row[:8] for row in almelo_rows()]
    rows[3].append("Opmerking")
    rows[4].append("Nog bespreken")
    response = upload(controller_client, xlsx(rows), programme=zorg)
    preview = controller_client.get(response["Location"]).content.decode()
    assert "Kolom I (Opmerking) staat niet in het sjabloon en wordt niet gelezen." in preview


def test_existing_measures_not_in_the_file_stay_and_empty_cells_remove_targets(
    zorg, midterm, controller_client
):
    preview_and_confirm(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    rows = [almelo_rows()[i] for i in (0, 1, 2, 3, 4)]  # only Doorbraakmethode
    rows[4][4] = None  # 2019 emptied
    response = upload(controller_client, xlsx(rows), programme=zorg, period=midterm)
    preview = controller_client.get(response["Location"]).content.decode()
    assert "14 bestaande maatregelen staan niet in het bestand; die blijven zo." in preview
    assert "Taakstellingen: 0 ingevuld of gewijzigd, 1 verwijderd." in preview
    confirm(controller_client, response["Location"], {"digest": digest_in(preview)})
    measure = Measure.objects.get(programme=zorg, title="Doorbraakmethode")
    assert sorted(measure.targets.values_list("year", flat=True)) == [2020, 2021, 2022]
    assert zorg.measures.count() == 15


@pytest.mark.parametrize(
    ("value", "unit", "euros"),
    [
        ("1.580", Unit.THOUSANDS, 1_580_000),
        ("1580", Unit.THOUSANDS, 1_580_000),
        (" € 1.580 ", Unit.THOUSANDS, 1_580_000),
        ("-82", Unit.THOUSANDS, -82_000),
        ("82,5", Unit.THOUSANDS, 82_500),
        ("1.580,00", Unit.THOUSANDS, 1_580_000),
        (2251, Unit.THOUSANDS, 2_251_000),
        (2251.457, Unit.THOUSANDS, 2_251_457),
        ("1.580.000", Unit.EUROS, 1_580_000),
        ("1.580.000,-", Unit.EUROS, 1_580_000),
        (1580000, Unit.EUROS, 1_580_000),
        (1580000.0, Unit.EUROS, 1_580_000),
    ],
)
def test_amounts_are_read_as_dutch_controllers_type_them(value, unit, euros):
    assert amount_value(value, unit) == Amount(euros)


@pytest.mark.parametrize("value", ["PM", "pm", "P.M."])
def test_pm_in_any_spelling_is_pm(value):
    assert amount_value(value, Unit.THOUSANDS) == Amount.pm()


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_empty_cell_is_no_target(value):
    assert amount_value(value, Unit.EUROS) is None


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("1,580", Unit.EUROS, "is geen bedrag"),
        ("1580.5", Unit.THOUSANDS, "is geen bedrag"),
        ("1.580.000,50", Unit.EUROS, "is geen bedrag"),
        ("82,5555", Unit.THOUSANDS, "is geen bedrag"),
        (0.0005, Unit.THOUSANDS, "meer dan drie decimalen"),
        (1580000.4, Unit.EUROS, "niet uit op hele euro"),
        ("abc", Unit.THOUSANDS, "is geen bedrag"),
        (True, Unit.EUROS, "is geen bedrag"),
        (float("inf"), Unit.EUROS, "is geen bedrag"),
        ("999.999.999.999", Unit.THOUSANDS, "onwaarschijnlijk groot"),
        (10**13, Unit.EUROS, "onwaarschijnlijk groot"),
    ],
)
def test_what_is_not_an_amount_says_why(value, unit, message):
    with pytest.raises(CellProblem, match=message):
        amount_value(value, unit)


def test_form_refuses_a_period_of_another_programme(zorg, almelo, controller_client):
    period = almelo.periods.get(name="Najaarsrapportage 2020")
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=period)
    assert "Dit rapportagemoment hoort bij een ander programma." in response.content.decode()


def test_the_page_offers_only_open_periods(almelo, controller_client):
    page = controller_client.get(reverse("imports:start")).content.decode()
    assert "Najaarsrapportage 2020" in page.split('name="period"')[1].split("</select>")[0]
    assert "Midterm review 2020" not in page.split('name="period"')[1].split("</select>")[0]


def test_header_only_lists_known_columns(zorg, controller_client):
    rows = [["Bedragen x € 1.000"], HEADER]
    page = upload(controller_client, xlsx(rows), programme=zorg).content.decode()
    assert "Onder de kopregel staan geen maatregelen." in page


@pytest.mark.parametrize(("owner", "refused"), [("enschede-invoerder", True), ("invoerder", False)])
def test_an_owner_of_another_organisation_is_an_unknown_user(
    zorg, midterm, controller_client, owner, refused
):
    """The owner column reads the organisation's own members: Enschede's invoerder is no
    one Almelo can make owner of a measure (issue 9)."""
    rows = almelo_rows()
    rows[3] = [*rows[3], "Eigenaar"]
    rows[4] = [*rows[4], owner]
    page = upload(controller_client, xlsx(rows), programme=zorg, period=midterm)
    assert ("Onbekende gebruiker" in page.content.decode()) is refused
    assert nothing_imported(zorg)
