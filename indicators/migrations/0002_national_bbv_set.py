"""The mandatory BBV policy indicators of the social domain as the seeds print them
(Enschede, Jaarverslag 2018: 'Wettelijk verplichte indicatoren', from
waarstaatjegemeente.nl). Shared by every organisation; a municipality enters only its
scores. A definition that changes gets a new row from the year it applies."""

from django.db import migrations

# number, beleidsveld, name, unit, source, decimals, direction
BBV_SET = [
    (
        20,
        "5. Sport, cultuur en recreatie",
        "Niet-sporters",
        "%",
        "Gezondheidsenquête (CBS, RIVM)",
        1,
        "lower",
    ),
    (
        22,
        "6. Sociaal domein",
        "Jongeren met een delict voor de rechter",
        "% 12 t/m 21 jarigen",
        "Verwey Jonker Instituut – Kinderen in Tel",
        2,
        "lower",
    ),
    (
        23,
        "6. Sociaal domein",
        "Kinderen in uitkeringsgezin",
        "% kinderen tot 18 jaar",
        "Verwey Jonker Instituut – Kinderen in Tel",
        2,
        "lower",
    ),
    (
        29,
        "6. Sociaal domein",
        "Jongeren met jeugdhulp",
        "% van alle jongeren tot 18 jaar",
        "CBS",
        1,
        "none",
    ),
    (
        30,
        "6. Sociaal domein",
        "Jongeren met jeugdbescherming",
        "% van alle jongeren tot 18 jaar",
        "CBS",
        1,
        "none",
    ),
    (
        31,
        "6. Sociaal domein",
        "Jongeren met jeugdreclassering",
        "% van alle jongeren van 12 tot 23 jaar",
        "CBS",
        1,
        "none",
    ),
    (
        32,
        "6. Sociaal domein",
        "Cliënten met een maatwerkarrangement WMO",
        "Aantal per 10.000 inwoners",
        "GMSD",
        0,
        "none",
    ),
]
VALID_FROM = 2017


def load(apps, schema_editor):
    NationalIndicator = apps.get_model("indicators", "NationalIndicator")
    for number, field, name, unit, source, decimals, direction in BBV_SET:
        NationalIndicator.objects.update_or_create(
            number=number,
            valid_from=VALID_FROM,
            defaults={
                "policy_field": field,
                "name": name,
                "unit": unit,
                "source": source,
                "decimals": decimals,
                "direction": direction,
            },
        )


def unload(apps, schema_editor):
    NationalIndicator = apps.get_model("indicators", "NationalIndicator")
    NationalIndicator.objects.filter(
        number__in=[row[0] for row in BBV_SET], valid_from=VALID_FROM, uses__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
