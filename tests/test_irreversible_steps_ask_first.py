"""Steps that cannot be undone ask first, and nothing is offered that cannot be done
(issue 13 item 7): publishing a report, closing a period, opening one with a chosen kind,
and the report link for roles that cannot publish."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from measures.constants import UpdateState
from measures.models import MeasureUpdate, ReportingPeriod
from reports.models import PublishedReport
from tests.workflow import open_period

User = get_user_model()


def closed_period():
    return ReportingPeriod.objects.get(name="Midterm review 2020")


def test_report_page_leads_to_a_confirmation_before_publishing(almelo, controller_client):
    publish_url = reverse("reports:publish", args=[closed_period().pk])
    page = controller_client.get(reverse("reports:detail", args=[closed_period().pk]))
    content = page.content.decode()
    # A link to the question, no form that publishes in one click.
    assert f'href="{publish_url}"' in content
    assert f'action="{publish_url}"' not in content

    confirm = controller_client.get(publish_url)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Rapport Midterm review 2020 publiceren?" in text
    assert "Dat kan één keer en niet ongedaan worden gemaakt." in text
    assert f'action="{publish_url}"' in text and "Ja, definitief publiceren" in text


def test_the_confirmation_of_a_published_or_open_period_offers_nothing(almelo, controller_client):
    response = controller_client.get(reverse("reports:publish", args=[open_period().pk]))
    assert "Publiceren kan zodra dit rapportagemoment is afgesloten." in response.content.decode()
    assert "Ja, definitief publiceren" not in response.content.decode()

    PublishedReport.objects.create(
        period=closed_period(),
        pdf=b"%PDF-1.7 stand-in",
        html="<p>Stand-in</p>",
        checksum=PublishedReport.checksum_of(b"%PDF-1.7 stand-in"),
        page_count=1,
        built_at=timezone.now(),
    )
    response = controller_client.get(reverse("reports:publish", args=[closed_period().pk]))
    assert "Dit rapport is al gepubliceerd" in response.content.decode()
    assert "Ja, definitief publiceren" not in response.content.decode()


def test_only_a_publisher_is_asked(almelo, client):
    for username in ("manager", "invoerder", "beheerder"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("reports:publish", args=[closed_period().pk])).status_code == 403


def test_close_is_not_offered_while_updates_wait_for_approval(almelo, controller_client):
    url = reverse("close_period", args=[open_period().pk])
    page = controller_client.get(url).content.decode()
    assert "tot dan kan het rapportagemoment niet worden afgesloten" in page
    assert "Definitief afsluiten" not in page
    assert f'href="{reverse("approvals")}"' in page

    MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).update(state=UpdateState.DRAFT)
    page = controller_client.get(url).content.decode()
    assert re.search(r"<button[^>]*>Definitief afsluiten</button>", page)


def test_opening_a_period_has_no_preselected_kind(almelo, controller_client):
    page = controller_client.get(reverse("periods")).content.decode()
    kind = page.split('name="kind"', 1)[1].split("</select>", 1)[0]
    assert "selected" not in kind.replace('value="" selected', "")
    assert '<option value="" selected>Kies een soort</option>' in kind

    response = controller_client.post(
        reverse("periods"),
        {"programme": almelo.pk, "name": "Voorjaarsnota 2021", "reference_date": "2021-04-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == ["Kies de soort rapportagemoment."]
    assert not ReportingPeriod.objects.filter(name="Voorjaarsnota 2021").exists()


def test_report_link_offers_publishing_only_to_who_can_publish(almelo, client):
    client.force_login(User.objects.get(username="manager"))
    page = client.get(reverse("overview")).content.decode()
    assert "Rapport bekijken of publiceren" not in page
    assert "Rapport bekijken</a>" in page
    client.force_login(User.objects.get(username="controller"))
    assert "Rapport bekijken of publiceren" in client.get(reverse("overview")).content.decode()
