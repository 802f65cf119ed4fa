"""Users and roles in the admin: nobody raises their own rights or grants rights they lack.

A role is a Django group whose permissions are defined in code (measures.roles, synced
after every migrate). So:

- only a superuser changes a group (its name or its permissions), adds or deletes one;
- nobody changes their own roles, loose permissions, staff or superuser flag;
- a user grants only the roles they hold themselves, and sets the password only of users
  whose roles they all hold (otherwise they could log in as a controller);
- only a superuser grants superuser rights or loose permissions, or changes a superuser.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.forms import ValidationError
from django.utils.translation import gettext_lazy as _

from .audit import SYSTEM_USERNAME

# Fields of a user that carry rights; nobody edits these on their own account.
RIGHTS_FIELDS = ["groups", "user_permissions", "is_staff", "is_superuser"]


def roles_not_held(acting_user, groups) -> list[Group]:
    """The groups among `groups` that acting_user does not hold (none for a superuser)."""
    if acting_user.is_superuser:
        return []
    held = set(acting_user.groups.values_list("pk", flat=True))
    return [group for group in groups if group.pk not in held]


class UserChangeForm(DjangoUserChangeForm):
    # Set by UserAdmin.get_form on the class it builds for each request.
    acting_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields and not self.acting_user.is_superuser:
            self.fields["groups"].help_text = _(
                "De rollen van deze gebruiker. U kent alleen rollen toe die u zelf hebt."
            )

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        current = set(self.instance.groups.all()) if self.instance.pk else set()
        refused = roles_not_held(self.acting_user, [g for g in groups if g not in current])
        if refused:
            raise ValidationError(
                _("U kunt alleen rollen toekennen die u zelf hebt. Niet toegestaan: %(roles)s."),
                code="role_not_held",
                params={"roles": ", ".join(sorted(group.name for group in refused))},
            )
        return groups


def out_of_reach(acting, user) -> bool:
    """Accounts only a superuser changes: a superuser's, and the system user's, whose name
    is on every command-line write (measures.audit) and whom nobody may log in as."""
    if acting.is_superuser:
        return False
    return user.is_superuser or user.username == SYSTEM_USERNAME


class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.acting_user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            fields += [field for field in RIGHTS_FIELDS if field not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and out_of_reach(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and out_of_reach(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and (
            out_of_reach(request.user, user)
            or (user.pk != request.user.pk and roles_not_held(request.user, user.groups.all()))
        ):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class GroupAdmin(DjangoGroupAdmin):
    """Roles and their permissions are defined in code; others only look at them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
