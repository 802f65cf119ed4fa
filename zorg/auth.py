from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from organisations.scoping import ALL, active_organisation_ids


def active_roles(user) -> frozenset[str]:
    """The roles that count for `user` now: those held in the request's active
    organisation, or, outside a request (a command, a task), in the organisations of the
    active scope."""
    workplace = getattr(user, "workplace", None)
    if workplace is not None:
        return workplace.roles
    from organisations.models import Membership

    ids = active_organisation_ids()
    memberships = Membership.all_memberships.filter(user=user)
    if ids is not ALL:
        memberships = memberships.filter(organisation__in=ids)
    return frozenset(memberships.values_list("role", flat=True))


class ModelBackend(ModelBackend):
    """Django's ModelBackend, with permissions that come from the roles a user holds in
    the active organisation (organisations.models.Membership; a role is the group of that
    name, measures.roles). A controller of Almelo who is invoerder in Enschede approves
    nothing while working in Enschede. Installation-wide user or group permissions do not
    count. One query per request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                roles = active_roles(user_obj)
                if not roles:
                    user_obj._perm_cache = set()
                    return user_obj._perm_cache
                permissions = permissions.filter(group__name__in=roles)
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        """The users whose roles in the active scope's organisations grant `perm` (for
        mail to "the controllers": those of the update's organisation)."""
        from organisations.models import Membership

        app_label, codename = perm.split(".")
        roles = Group.objects.filter(
            permissions__content_type__app_label=app_label, permissions__codename=codename
        ).values("name")
        condition = Q(pk__in=Membership.objects.filter(role__in=roles).values("user"))
        if include_superusers:
            condition |= Q(is_superuser=True)
        users = get_user_model()._default_manager.filter(condition)
        return users if is_active is None else users.filter(is_active=is_active)

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)
