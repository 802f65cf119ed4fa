"""A closed period keeps everything its overview, report and exports show, not only the
overview: `frozen_overview` becomes `frozen_report` and holds the snapshot of
measures.report_input.freeze_period ({"overview": …, "report": …}).

Periods closed before this migration kept only their overview. They keep it, authentic as
closed; the rest of their report is taken from the data as it is when this migration
runs, the best that is left of it. This uses the app's own freezing code, so that the
snapshot has one definition; it runs only for periods that were closed before.
"""

from django.db import migrations


def freeze_reports(apps, schema_editor):
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(
        schema_editor.connection.alias
    )
    closed = [
        (pk, frozen)
        for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report")
        if frozen is None or "report" not in frozen
    ]
    if not closed:
        return
    from measures.models import ReportingPeriod
    from measures.report_input import freeze_period

    for pk, frozen_overview in closed:
        period = ReportingPeriod.objects.select_related("programme").get(pk=pk)
        snapshot = freeze_period(period)
        if frozen_overview is not None:
            snapshot["overview"] = frozen_overview
        periods.filter(pk=pk).update(frozen_report=snapshot)


def keep_only_the_overview(apps, schema_editor):
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(
        schema_editor.connection.alias
    )
    for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report"):
        periods.filter(pk=pk).update(frozen_report=frozen and frozen["overview"])


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_history_of_goals_plans_scales_and_roles"),
    ]

    operations = [
        migrations.RenameField(
            model_name="reportingperiod",
            old_name="frozen_overview",
            new_name="frozen_report",
        ),
        migrations.RunPython(freeze_reports, keep_only_the_overview),
    ]
