"""Freezes the report of periods closed before reports were frozen (see 0005): they keep
their overview as closed, and the rest of their report is taken from the data as it is
now, through the app's own freezing code (measures.report_input.freeze_period).

The app's code reads the database as the last migration leaves it, so this runs after
the organisations were added. On PostgreSQL the closed-period trigger (0006) is set
aside for this one update of the periods' own snapshot.
"""

from django.db import migrations

TRIGGER = "measures_closed_period_reportingperiod"


def freeze_reports(apps, schema_editor):
    connection = schema_editor.connection
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(connection.alias)
    closed = [
        (pk, frozen)
        for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report")
        if frozen is None or "report" not in frozen
    ]
    if not closed:
        return
    from measures.models import ReportingPeriod
    from measures.report_input import freeze_period
    from organisations.scoping import unscoped

    postgres = connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE measures_reportingperiod DISABLE TRIGGER {TRIGGER}")
    with unscoped():
        for pk, frozen in closed:
            period = ReportingPeriod.objects.select_related("programme__organisation").get(pk=pk)
            snapshot = freeze_period(period)
            if frozen and "overview" in frozen:
                snapshot["overview"] = frozen["overview"]
            periods.filter(pk=pk).update(frozen_report=snapshot)
    if postgres:
        schema_editor.execute(f"ALTER TABLE measures_reportingperiod ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0013_organisation_required"),
    ]

    operations = [migrations.RunPython(freeze_reports, migrations.RunPython.noop)]
