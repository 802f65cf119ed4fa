"""The admin lists published reports read only: a published report is never edited."""

from django.urls import reverse

from reports.models import PublishedReport
from reports.services import publish_report


def test_controller_sees_published_reports_read_only(period, controller, controller_client):
    report = publish_report(period=period, user=controller)
    changelist = controller_client.get(reverse("admin:reports_publishedreport_changelist"))
    assert changelist.status_code == 200
    assert reverse("reports:pdf", args=[period.pk]) in changelist.content.decode()

    change = reverse("admin:reports_publishedreport_change", args=[report.pk])
    page = controller_client.get(change).content.decode()
    assert report.checksum in page and 'name="_save"' not in page
    assert controller_client.post(change, {}).status_code == 403
    add = controller_client.get(reverse("admin:reports_publishedreport_add"))
    assert add.status_code == 403
    assert PublishedReport.objects.get().checksum == report.checksum
