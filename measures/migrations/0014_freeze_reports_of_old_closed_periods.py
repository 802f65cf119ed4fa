"""Froze the report of periods closed before reports were frozen (see 0005), through the
app's own code. The app's code reads the database as the last migration leaves it, which
a step in the middle of the migrations cannot promise: the step is now
measures.freezing.freeze_old_closed_periods, run after `migrate` when every migration is
applied. Kept, empty, for the databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0013_organisation_required"),
    ]

    operations = []
