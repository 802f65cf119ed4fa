"""The demo's report layouts: each seed's sequence of sections with its own headings
(fixtures/*_demo.json, "report_layouts"), loaded by measures.demo in the organisation's
scope. Updated in place, so loading twice changes nothing."""

from .models import ReportLayout


def load_report_layouts(organisation, layouts: list[dict]) -> None:
    for entry in layouts:
        layout = ReportLayout.objects.filter(
            organisation=organisation, kind=entry["kind"]
        ).first() or ReportLayout(organisation=organisation, kind=entry["kind"])
        if layout.pk is not None and layout.sections == entry["sections"]:
            continue
        layout.sections = entry["sections"]
        layout.full_clean()
        layout.save()
