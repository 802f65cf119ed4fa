"""A closed period's report also keeps whether its programme split the realisation into
hard and soft (measures.overview_data.ProgrammeData.separates_hard_soft), so that
switching it later changes neither its report nor its exports.

Periods closed before this migration did not store it; they get the programme's setting as
it is when this migration runs, which is what they showed until then.
"""

from django.db import migrations


def store_separates_hard_soft(apps, schema_editor):
    periods = apps.get_model("measures", "ReportingPeriod").objects.using(
        schema_editor.connection.alias
    )
    rows = periods.filter(is_closed=True).values_list(
        "pk", "frozen_report", "programme__separates_hard_soft"
    )
    for pk, frozen, separates in rows:
        programme = frozen["report"]["programme"]
        if "separates_hard_soft" not in programme:
            programme["separates_hard_soft"] = separates
            periods.filter(pk=pk).update(frozen_report=frozen)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0009_measure_number_ascii_digits"),
    ]

    operations = [
        migrations.RunPython(store_separates_hard_soft, migrations.RunPython.noop),
    ]
