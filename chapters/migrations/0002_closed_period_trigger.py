"""On PostgreSQL, the database's own guard of closed periods (measures migration 0006) for
this app's rows of a period: raw SQL cannot change them either once their period has
closed. Ordinary triggers, as there: a restore runs with session_replication_role =
replica, under which they do not fire."""

from django.db import migrations

from measures.migrations_support import PostgreSQLOnly

TABLES = [
    "chapters_textversion",
    "chapters_actionpointstatus",
]


class Migration(migrations.Migration):
    dependencies = [
        ("chapters", "0001_initial"),
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
