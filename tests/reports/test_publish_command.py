"""`manage.py publish`: a closed period's report is published as by the button, a second
run leaves it as it is, an open period is refused with the reason and nothing stored."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from measures.models import ReportingPeriod
from reports.models import PublishedReport

pytestmark = pytest.mark.django_db

MIDTERM = {"organisation": "Almelo", "programme": "Programma Zorg", "period": "Midterm review 2020"}


@pytest.fixture
def publisher(controller):
    return {**MIDTERM, "user": controller.username}


def test_a_closed_period_is_published_once_and_a_second_run_changes_nothing(publisher, controller):
    out = StringIO()
    call_command("publish", stdout=out, **publisher)
    report = PublishedReport.objects.get(period__name="Midterm review 2020")
    assert bytes(report.pdf).startswith(b"%PDF")
    assert report.checksum == PublishedReport.checksum_of(bytes(report.pdf))
    assert report.published_by == controller
    assert ": gepubliceerd" in out.getvalue() and report.checksum in out.getvalue()

    again = StringIO()
    call_command("publish", stdout=again, **publisher)
    assert "was al gepubliceerd" in again.getvalue()
    assert PublishedReport.objects.get(pk=report.pk).checksum == report.checksum
    assert PublishedReport.objects.count() == 1


def test_someone_who_may_not_publish_is_refused_and_nothing_is_stored(manager):
    with pytest.raises(CommandError, match="mag in Gemeente Almelo geen rapporten publiceren"):
        call_command("publish", user=manager.username, stdout=StringIO(), **MIDTERM)
    assert not PublishedReport.objects.exists()


def test_an_open_period_is_refused_with_its_reason_and_nothing_is_stored(controller):
    period = ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    assert not period.is_closed
    with pytest.raises(CommandError, match="nog niet afgesloten"):
        call_command(
            "publish",
            organisation="Almelo",
            programme="Programma Zorg",
            period="Najaarsrapportage 2020",
            user=controller.username,
            stdout=StringIO(),
        )
    assert not PublishedReport.objects.exists()
