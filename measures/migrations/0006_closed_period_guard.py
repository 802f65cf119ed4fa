"""Closed periods are guarded in the models (PeriodBoundModel); this migration makes the
guarded queryset the base manager, makes sure a closed period has its snapshot, and on
PostgreSQL adds the database's own guard.

On PostgreSQL a trigger refuses INSERT, UPDATE and DELETE of the rows of a closed period
(assessments, measure updates and their yearly figures, whichever period a row leaves or
enters), and any change to a closed period's own row; closing is a write to an open
period, so it passes. No code path, raw SQL included, changes a closed period.

The triggers are ordinary (not ENABLE ALWAYS): a restore of a backup that holds closed
periods runs with `SET session_replication_role = replica`, under which they do not fire.
TRUNCATE, which needs the table's owner, is not refused: the test suite's flush uses it.

SQLite gets no trigger: it cannot switch triggers off, so a restore with loaddata and the
test suite's flush (DELETE FROM) would fail; there the models' guard is the guarantee.
"""

from django.db import migrations, models

from measures.migrations_support import PostgreSQLOnly

REFUSE_ROW = """
CREATE FUNCTION measures_refuse_closed_period_row() RETURNS trigger
LANGUAGE plpgsql AS $$
-- TG_ARGV[0] names the column that links the row to its period ('period_id'), or to its
-- parent ('parent_id'), whose table is then TG_ARGV[1]. Both the period the row leaves
-- (OLD) and the one it enters (NEW) must be open.
DECLARE
    links bigint[] := '{}';
    periods bigint[];
    closed_name text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        links := links || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        links := links || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_NARGS > 1 THEN
        EXECUTE format('SELECT array_agg(period_id) FROM %I WHERE id = ANY($1)', TG_ARGV[1])
            INTO periods USING links;
    ELSE
        periods := links;
    END IF;
    SELECT name INTO closed_name FROM measures_reportingperiod
        WHERE id = ANY(periods) AND is_closed LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Het rapportagemoment % is afgesloten en kan niet meer veranderen.',
            closed_name USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION measures_refuse_closed_period_change() RETURNS trigger
LANGUAGE plpgsql AS $$
-- A closed period's row does not change (closing itself changes an open row), and no
-- period is created closed.
BEGIN
    IF TG_OP = 'INSERT' AND NEW.is_closed THEN
        RAISE EXCEPTION 'Het rapportagemoment % is afgesloten en kan niet meer veranderen.',
            NEW.name USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.is_closed THEN
        RAISE EXCEPTION 'Het rapportagemoment % is afgesloten en kan niet meer veranderen.',
            OLD.name USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
"""

# (table, arguments of the trigger function)
GUARDED_ROWS = [
    ("measures_assessment", "'period_id'"),
    ("measures_measureupdate", "'period_id'"),
    ("measures_assessmentyear", "'parent_id', 'measures_assessment'"),
    ("measures_updateyear", "'parent_id', 'measures_measureupdate'"),
]

CREATE_TRIGGERS = [
    REFUSE_ROW,
    *(
        f"CREATE TRIGGER measures_closed_period_{table.removeprefix('measures_')} "
        f"BEFORE INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION measures_refuse_closed_period_row({arguments});"
        for table, arguments in GUARDED_ROWS
    ),
    "CREATE TRIGGER measures_closed_period_reportingperiod "
    "BEFORE INSERT OR UPDATE OR DELETE ON measures_reportingperiod FOR EACH ROW "
    "EXECUTE FUNCTION measures_refuse_closed_period_change();",
]

DROP_TRIGGERS = [
    *(
        f"DROP TRIGGER measures_closed_period_{table.removeprefix('measures_')} ON {table};"
        for table, _arguments in GUARDED_ROWS
    ),
    "DROP TRIGGER measures_closed_period_reportingperiod ON measures_reportingperiod;",
    "DROP FUNCTION measures_refuse_closed_period_row();",
    "DROP FUNCTION measures_refuse_closed_period_change();",
]


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0005_frozen_report"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="assessment",
            options={
                "base_manager_name": "objects",
                "ordering": ["period", "measure"],
                "verbose_name": "beoordeling",
                "verbose_name_plural": "beoordelingen",
            },
        ),
        migrations.AlterModelOptions(
            name="assessmentyear",
            options={
                "base_manager_name": "objects",
                "ordering": ["parent", "year"],
                "verbose_name": "jaarcijfers beoordeling",
                "verbose_name_plural": "jaarcijfers beoordeling",
            },
        ),
        migrations.AlterModelOptions(
            name="measureupdate",
            options={
                "base_manager_name": "objects",
                "ordering": ["period", "measure__plan__order", "measure__sort_key"],
                "permissions": [("approve_measureupdate", "Mag updates goedkeuren en terugsturen")],
                "verbose_name": "update",
                "verbose_name_plural": "updates",
            },
        ),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "base_manager_name": "objects",
                "get_latest_by": "reference_date",
                "ordering": ["programme", "-reference_date", "name"],
                "permissions": [("close_reportingperiod", "Mag rapportagemomenten afsluiten")],
                "verbose_name": "rapportagemoment",
                "verbose_name_plural": "rapportagemomenten",
            },
        ),
        migrations.AlterModelOptions(
            name="updateyear",
            options={
                "base_manager_name": "objects",
                "ordering": ["parent", "year"],
                "verbose_name": "jaarcijfers update",
                "verbose_name_plural": "jaarcijfers update",
            },
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(is_closed=False) | models.Q(frozen_report__isnull=False),
                name="period_closed_is_frozen",
            ),
        ),
        PostgreSQLOnly(CREATE_TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
