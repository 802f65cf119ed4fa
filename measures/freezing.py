"""Freezes the report of periods closed before reports were frozen (see migration 0005):
they keep their overview as closed, and the rest of their report is taken from the data
as it is now, through the app's own freezing code (measures.report_input.freeze_period).

The app's code reads the database as the last migration leaves it, so this cannot be a
step in the middle of the migrations (it was 0014, until a later migration added a
column the code reads): it runs after `migrate`, on post_migrate, and only when every
migration is applied. It does nothing once every closed period is frozen. On PostgreSQL
the closed-period trigger (migration 0006) is set aside for this one update of the
periods' own snapshot.
"""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor

TRIGGER = "measures_closed_period_reportingperiod"


def freeze_old_closed_periods(sender, using="default", **kwargs) -> None:
    from organisations.scoping import unscoped

    from .models import ReportingPeriod
    from .report_input import freeze_period

    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # not at the latest schema: the code would read what is not there yet
    periods = ReportingPeriod.guarded.using(using)
    closed = [
        (pk, frozen)
        for pk, frozen in periods.filter(is_closed=True).values_list("pk", "frozen_report")
        if frozen is None or "report" not in frozen
    ]
    if not closed:
        return
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE measures_reportingperiod DISABLE TRIGGER {TRIGGER}")
        try:
            with unscoped():
                for pk, frozen in closed:
                    period = periods.select_related("programme__organisation").get(pk=pk)
                    snapshot = freeze_period(period)
                    if frozen and "overview" in frozen:
                        snapshot["overview"] = frozen["overview"]
                    # Past the guard on purpose: the snapshot is the closed period's own.
                    field = ReportingPeriod._meta.get_field("frozen_report")
                    cursor.execute(
                        "UPDATE measures_reportingperiod SET frozen_report = %s WHERE id = %s",
                        [field.get_db_prep_value(snapshot, connection), pk],
                    )
        finally:
            if postgres:
                cursor.execute(f"ALTER TABLE measures_reportingperiod ENABLE TRIGGER {TRIGGER}")
