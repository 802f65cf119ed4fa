"""A closed period keeps everything its overview, report and exports show, not only the
overview: `frozen_overview` becomes `frozen_report` and holds the snapshot of
measures.report_input.freeze_period ({"overview": …, "report": …}).

Periods closed before this migration kept only their overview. They keep it, authentic as
closed; the rest of their report is taken from the data as it is when the migrations
run, the best that is left of it. That uses the app's own freezing code, so that the
snapshot has one definition; since the app's code reads the database as the last
migration leaves it, the freezing itself is done by the last migration that needed it
(0014_freeze_reports_of_old_closed_periods). Here the overview is put in its place.
"""

from django.db import migrations


def keep_the_overview(apps, schema_editor):
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(
        schema_editor.connection.alias
    )
    for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report"):
        if frozen is None:  # 0014 freezes all of it
            periods.filter(pk=pk).update(frozen_report={})
        elif "report" not in frozen:
            periods.filter(pk=pk).update(frozen_report={"overview": frozen})


def keep_only_the_overview(apps, schema_editor):
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(
        schema_editor.connection.alias
    )
    for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report"):
        periods.filter(pk=pk).update(frozen_report=frozen and frozen.get("overview"))


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
        migrations.RunPython(keep_the_overview, keep_only_the_overview),
    ]
