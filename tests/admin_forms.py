"""Admin forms as a browser sends them back: a page's form as shown, with rows added to
the roles inline of a user's page (measures.admin_users, organisations.admin_memberships)."""

from organisations.models import Membership
from tests.test_history_complete import FormReader


def page_form(client, url) -> dict[str, list[str]]:
    """What a browser sends back from the admin page at url, as shown."""
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader()
    reader.feed(page.content.decode())
    return {name: values for name, values in reader.data.items() if not name.startswith("_")}


def with_new_roles(data: dict, *new_roles: str, **extra) -> dict:
    """A user page's form with rows added to the roles inline."""
    data = dict(data)
    total = int(data["memberships-TOTAL_FORMS"][0])
    for offset, role in enumerate(new_roles):
        data[f"memberships-{total + offset}-role"] = [role]
        for name, value in extra.items():
            data[f"memberships-{total + offset}-{name}"] = [value]
    data["memberships-TOTAL_FORMS"] = [str(total + len(new_roles))]
    return data


def inline_errors(response) -> str:
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    return str([(formset.errors, formset.non_form_errors()) for formset in formsets])


def roles(user, organisation) -> set[str]:
    """The roles `user` holds in `organisation`."""
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )
