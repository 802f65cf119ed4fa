"""On PostgreSQL, the database's own guard of closed periods (measures migration 0006) for
this app's rows of a period: raw SQL cannot change them either once their period has
closed. Ordinary triggers, as there: a restore runs with session_replication_role =
replica, under which they do not fire."""

from django.db import migrations

from measures.migrations_support import PostgreSQLOnly

TABLES = [
    "budgets_budgetfigure",
    "budgets_varianceexplanation",
]


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0002_iv3_task_fields"),
        ("measures", "0006_closed_period_guard"),
    ]

    operations = [
        PostgreSQLOnly(
            [
                f"CREATE TRIGGER {table}_closed_period BEFORE INSERT OR UPDATE OR DELETE ON "
                f"{table} FOR EACH ROW EXECUTE FUNCTION "
                "measures_refuse_closed_period_row('period_id');"
                for table in TABLES
            ],
            [f"DROP TRIGGER {table}_closed_period ON {table};" for table in TABLES],
        )
    ]
