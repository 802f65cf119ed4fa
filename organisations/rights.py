"""Who may grant which role, and who may change whose account.

A role is held in one organisation (`Membership`); an account is the installation's, and
a regional team member's account is shared by every organisation they work for. So:

- a user grants, in an organisation, only the roles they hold there themselves (a
  superuser: any), and never to themselves;
- an account's own data (name, username, active flag, deletion) is changed only by a
  superuser or by a beheerder of every organisation the account works for: a beheerder of
  Almelo cannot switch off the Enschede controller who also works in Almelo;
- a password is set only by whom `manages_account`, who moreover holds, in every
  organisation, every role the account holds there: whoever sets a password can log in
  with it, and so work with those roles.

These read every organisation's memberships (`Membership.all_memberships`), not only the
active scope's: whether an account is shared is a fact about all of them.
"""

from django.utils.translation import gettext as _

from measures.audit import SYSTEM_USERNAME
from measures.constants import Role

from .models import Membership


def out_of_reach(acting, user) -> bool:
    """Accounts only a superuser changes: a superuser's, and the system user's, whose name
    is on every command-line write (measures.audit) and whom nobody may log in as."""
    if acting.is_superuser:
        return False
    return user.is_superuser or user.username == SYSTEM_USERNAME


def roles_by_organisation(user) -> dict[int, set[str]]:
    """The roles `user` holds, per organisation primary key. One query."""
    held: dict[int, set[str]] = {}
    if user.pk is None:
        return held
    for organisation_id, role in Membership.all_memberships.filter(user=user).values_list(
        "organisation_id", "role"
    ):
        held.setdefault(organisation_id, set()).add(role)
    return held


def roles_not_held(acting, roles, organisation) -> list[str]:
    """The roles among `roles` that `acting` does not hold in `organisation` (none for a
    superuser), in Role's order."""
    if acting.is_superuser:
        return []
    held = roles_by_organisation(acting).get(organisation.pk, set())
    return [role for role in Role.values if role in set(roles) - held]


def role_labels(roles) -> str:
    """Roles as the UI names them, for a message: "Controller, Manager"."""
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(role, role)) for role in roles)


def not_held_message(roles) -> str:
    return _("U kunt alleen rollen toekennen die u zelf hebt. Niet toegestaan: %(roles)s.") % {
        "roles": role_labels(roles)
    }


def manages_account(acting, user) -> bool:
    """Whether `acting` may change `user`'s account itself: name, username, active flag,
    deletion. A superuser may; a beheerder only if they are beheerder in every
    organisation the account works for. One's own account is one's own (its roles are
    not: see the admins)."""
    if out_of_reach(acting, user):
        return False
    if acting.is_superuser or acting.pk == user.pk:
        return True
    mine = roles_by_organisation(acting)
    return all(Role.BEHEERDER in mine.get(org, ()) for org in roles_by_organisation(user))


def may_set_password(acting, user) -> bool:
    """Whether `acting` may set `user`'s password: they manage the account and hold, in
    each of its organisations, every role it holds there."""
    if not manages_account(acting, user):
        return False
    if acting.is_superuser or acting.pk == user.pk:
        return True
    mine = roles_by_organisation(acting)
    return all(roles <= mine.get(org, set()) for org, roles in roles_by_organisation(user).items())


def password_refusal(acting, user) -> str:
    """Why `acting` may not set `user`'s password, in Dutch."""
    if out_of_reach(acting, user):
        return _("Alleen een superuser wijzigt dit account.")
    if not manages_account(acting, user):
        return _(
            "Deze gebruiker werkt ook voor een organisatie waarvan u geen beheerder bent. "
            "Alleen een beheerder van al die organisaties (of een superuser) stelt het "
            "wachtwoord in."
        )
    return _(
        "U kunt alleen het wachtwoord instellen van gebruikers van wie u alle rollen zelf "
        "hebt; anders zou u met hun rechten kunnen inloggen."
    )
