"""Management commands work in one organisation (organisations.commands): chosen with
--organisation, or the one their other arguments point to; ambiguous or unknown is a
Dutch error listing the choices, and another organisation's data is out of reach."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from measures import services
from measures.constants import PeriodKind
from measures.models import Measure, Programme, ReportingPeriod
from organisations.models import Membership, Organisation, Region, RegionMember
from tests.test_backup_restore import empty_the_database


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def overview(period: str, *extra) -> str:
    return run("overview", "--period", period, *extra)


def test_the_period_name_alone_is_enough_when_one_organisation_has_it(almelo):
    assert overview("Midterm review 2020").startswith("Programma Zorg: Midterm review 2020")
    assert overview("Jaarverslag 2018").startswith(
        "Maatschappelijke ondersteuning: Jaarverslag 2018"
    )


@pytest.mark.parametrize("name", ["Gemeente Enschede", "enschede", "0153", "153"])
def test_an_organisation_is_named_by_name_short_name_or_cbs_code(almelo, name):
    output = overview("Jaarverslag 2018", "--organisation", name)
    assert output.startswith("Maatschappelijke ondersteuning: Jaarverslag 2018")


def test_a_period_name_in_two_organisations_asks_which_in_dutch(almelo):
    enschede = Programme.objects.get(name="Maatschappelijke ondersteuning")
    ReportingPeriod.objects.create(
        programme=enschede,
        name="Midterm review 2020",
        kind=PeriodKind.MIDTERM_REVIEW,
        reference_date=date(2020, 7, 1),
    )
    with pytest.raises(CommandError) as refused:
        overview("Midterm review 2020")
    message = str(refused.value)
    assert "bestaat bij meer organisaties; kies met --organisation uit" in message
    assert "Gemeente Almelo (Almelo, 0141)" in message
    assert "Gemeente Enschede (Enschede, 0153)" in message
    assert "Venlo" not in message
    assert overview("Midterm review 2020", "--organisation", "Enschede").startswith(
        "Maatschappelijke ondersteuning: Midterm review 2020"
    )
    assert overview("Midterm review 2020", "--organisation", "Almelo").startswith(
        "Programma Zorg: Midterm review 2020"
    )


def test_an_unknown_organisation_is_refused_with_the_choices(almelo):
    with pytest.raises(CommandError) as refused:
        overview("Midterm review 2020", "--organisation", "Utrecht")
    message = str(refused.value)
    assert message.startswith("Organisatie 'Utrecht' bestaat niet. Kies met --organisation uit:")
    for name in ("Gemeente Almelo", "Gemeente Venlo", "Gemeente Enschede", "Gemeente Hengelo"):
        assert name in message


def test_a_name_no_organisation_has_is_not_found_in_dutch(almelo):
    with pytest.raises(CommandError, match="'Bestaat niet' niet gevonden bij een organisatie"):
        overview("Bestaat niet")


def test_an_enschede_period_is_out_of_reach_with_organisation_almelo(almelo, tmp_path):
    with pytest.raises(CommandError, match="'Jaarverslag 2018' niet gevonden"):
        overview("Jaarverslag 2018", "--organisation", "Almelo")
    with pytest.raises(CommandError, match="niet gevonden"):
        run(
            "report",
            "--programme",
            "Maatschappelijke ondersteuning",
            "--period",
            "Jaarverslag 2018",
            "--output",
            str(tmp_path / "rapport.html"),
            "--organisation",
            "Almelo",
        )
    assert not (tmp_path / "rapport.html").exists()
    csv_file = tmp_path / "maatregelen.csv"
    csv_file.write_text("Eenheid bedragen;x € 1.000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Programma Maatschappelijke ondersteuning niet"):
        run(
            "import_measures",
            str(csv_file),
            "--programme",
            "Maatschappelijke ondersteuning",
            "--dry-run",
            "--organisation",
            "Almelo",
        )


def test_the_report_command_finds_its_organisation_by_programme_and_period(almelo, tmp_path):
    output = run(
        "report",
        "--programme",
        "Welzijn en Zorg",
        "--period",
        "Begroting 2018",
        "--output",
        str(tmp_path / "hengelo.html"),
    )
    assert output.startswith(f"{tmp_path / 'hengelo.html'}: Welzijn en Zorg, Begroting 2018")


def test_a_command_user_has_only_the_roles_of_the_chosen_organisation(almelo, tmp_path):
    """The Twente controller may import in Enschede, not in Almelo where it has no role."""
    csv_file = tmp_path / "maatregelen.csv"
    csv_file.write_text("Eenheid bedragen;x € 1.000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="mag geen maatregelen importeren"):
        run(
            "import_measures",
            str(csv_file),
            "--programme",
            "Programma Zorg",
            "--user",
            "twente-controller",
        )


@pytest.fixture
def enschede_deadline(almelo):
    """An open Enschede period with the same deadline as Almelo's Najaarsrapportage 2020
    and a measure owned by Enschede's invoerder."""
    users = get_user_model().objects
    programme = Programme.objects.get(name="Maatschappelijke ondersteuning")
    Measure.objects.create(
        programme=programme,
        title="Van maatwerk naar algemene voorzieningen",
        owner=users.get(username="enschede-invoerder"),
    )
    services.open_period(
        programme=programme,
        name="Najaarsrapportage 2020",
        kind=PeriodKind.NAJAARSRAPPORTAGE,
        reference_date=date(2020, 10, 1),
        deadline=date(2020, 10, 23),
        user=users.get(username="enschede-controller"),
    )


def reminder_addresses(output: str) -> set[str]:
    return {line.split(":")[0] for line in output.splitlines() if "@" in line}


# Dry runs: they decide who gets a reminder in the same way and print it, without mail.
def test_reminders_go_out_for_every_organisation_each_in_its_scope(enschede_deadline):
    output = run("send_reminders", "--date", "2020-10-20", "--dry-run")
    assert output.endswith("3 herinneringen zouden worden verstuurd.\n")
    assert reminder_addresses(output) == {
        "inge.invoerder@almelo.example",
        "joke.dejong@almelo.example",
        "ingrid.oudeegberink@enschede.example",
    }


def test_reminders_for_one_organisation(enschede_deadline):
    output = run("send_reminders", "--date", "2020-10-20", "--dry-run", "--organisation", "0153")
    assert output.endswith("1 herinnering zou worden verstuurd.\n")
    assert reminder_addresses(output) == {"ingrid.oudeegberink@enschede.example"}


def organisations_snapshot() -> dict:
    return {
        model.__name__: sorted(map(tuple, model.objects.values_list()))
        for model in (Organisation, Membership, Region, RegionMember)
    }


def test_backup_and_restore_keep_every_organisation_membership_and_region(almelo, tmp_path):
    before = organisations_snapshot()
    assert len(before["Organisation"]) == 4 and before["RegionMember"]
    path = tmp_path / "koersmonitor.json"
    call_command("backup", "--output", str(path), verbosity=0)
    empty_the_database()
    assert not Organisation.objects.exists()
    call_command("restore", str(path), verbosity=0)
    assert organisations_snapshot() == before
    assert overview("Jaarverslag 2017").startswith("Sociaal domein: Jaarverslag 2017")
