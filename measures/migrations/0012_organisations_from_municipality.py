"""Gives the data of an installation from before organisations its organisation.

Each distinct `Programme.municipality` becomes an organisation ("Almelo" → "Gemeente
Almelo", short name "Almelo"), with the CBS code of the four municipalities Koersmonitor
knows, or a placeholder code the beheerder corrects. Status scales go with the
programmes that use them (an unused one with the first organisation). Every role a user
held through a group is held in every organisation (one, in any installation so far), so
nobody loses access; the groups themselves stay as the definitions of the roles.
"""

from django.db import migrations
from django.utils.text import slugify

KNOWN_CBS_CODES = {"almelo": "0141", "enschede": "0153", "hengelo": "0164", "venlo": "0983"}
ROLES = ("invoerder", "controller", "manager", "beheerder")


def short_name(municipality: str) -> str:
    name = municipality.strip()
    if name.lower().startswith("gemeente "):
        name = name[len("gemeente ") :].strip()
    return name or "Gemeente"


def forwards(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    Membership = apps.get_model("organisations", "Membership")
    Programme = apps.get_model("measures", "Programme")
    StatusScale = apps.get_model("measures", "StatusScale")
    User = apps.get_model("auth", "User")

    organisations = {}
    placeholder = 9000
    for municipality in Programme.objects.order_by("pk").values_list("municipality", flat=True):
        short = short_name(municipality)
        if short in organisations:
            continue
        existing = Organisation.objects.filter(short_name=short).first()
        if existing is not None:  # migrated back and forth
            organisations[short] = existing
            continue
        code = KNOWN_CBS_CODES.get(short.lower())
        if code is None:
            placeholder += 1
            code = str(placeholder)
        organisations[short] = Organisation.objects.create(
            name=f"Gemeente {short}", short_name=short, cbs_code=code, slug=slugify(short)[:60]
        )
    if not organisations and StatusScale.objects.exists():
        organisations["Almelo"], _ = Organisation.objects.get_or_create(
            cbs_code="0141",
            defaults={"name": "Gemeente Almelo", "short_name": "Almelo", "slug": "almelo"},
        )
    for programme in Programme.objects.all():
        programme.organisation = organisations[short_name(programme.municipality)]
        programme.save(update_fields=["organisation"])
    first = next(iter(organisations.values()), None)
    for scale in StatusScale.objects.all():
        used_by = Programme.objects.filter(status_scale=scale).order_by("pk").first()
        scale.organisation = used_by.organisation if used_by else first
        scale.save(update_fields=["organisation"])
    for user in User.objects.prefetch_related("groups"):
        for group in user.groups.all():
            if group.name in ROLES:
                for organisation in organisations.values():
                    Membership.objects.get_or_create(
                        user=user, organisation=organisation, role=group.name
                    )


def backwards(apps, schema_editor):
    Programme = apps.get_model("measures", "Programme")
    for programme in Programme.objects.select_related("organisation"):
        if programme.organisation_id:
            programme.municipality = programme.organisation.short_name
            programme.save(update_fields=["municipality"])


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0011_organisation_fields"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
