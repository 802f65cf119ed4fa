"""An import record from before organisations belongs to its programme's organisation,
or, when it named none, to the installation's first."""

from django.db import migrations


def forwards(apps, schema_editor):
    ImportRecord = apps.get_model("imports", "ImportRecord")
    Organisation = apps.get_model("organisations", "Organisation")
    first = Organisation.objects.order_by("pk").first()
    for record in ImportRecord.objects.select_related("programme"):
        record.organisation_id = (
            record.programme.organisation_id if record.programme_id else first.pk
        )
        record.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_importrecord_organisation"),
        ("measures", "0012_organisations_from_municipality"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
