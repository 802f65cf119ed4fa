"""Users and their roles in the admin, within the organisation the beheerder works in.

A role is held in an organisation (organisations.models.Membership); permissions come
from the roles held in the active organisation (zorg/auth.py). So a beheerder manages the
users of their own organisation only:

- the list holds the members of the active organisation (`organisations.scoping.members`;
  a superuser sees every account); another organisation's user is not found here (404);
- roles are edited in an inline of the active organisation's roles; other organisations'
  roles are neither shown nor changed (organisations.admin_memberships);
- nobody changes their own roles or superuser flag; a user grants only the roles they
  hold in this organisation; only a superuser grants superuser rights or changes a
  superuser (organisations.rights);
- an account's own data (name, username, active flag) and its deletion are for a
  superuser or a beheerder of every organisation the account works for; its password
  moreover only for whoever holds all its roles there (organisations.rights).

Django's groups are the roles' definitions (measures.roles); a user's own groups and loose
permissions grant nothing (zorg/auth.py), so the form no longer offers them, nor the
is_staff flag (the admin is for the staff roles held in the active organisation,
zorg/admin_site.py). Groups change only by a superuser.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.constants import Role
from organisations.admin_memberships import MembershipInline, role_history
from organisations.models import Membership
from organisations.rights import (
    manages_account,
    may_set_password,
    out_of_reach,
    password_refusal,
    role_labels,
)
from organisations.scoping import members

# The account's own data, which only whom organisations.rights.manages_account changes.
ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active"]


class RoleHereFilter(admin.SimpleListFilter):
    """Users by a role they hold in the active organisation (not elsewhere)."""

    title = _("rol hier")
    parameter_name = "rol"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() not in Role.values:
            return queryset
        return queryset.filter(
            pk__in=Membership.objects.filter(
                organisation=request.organisation, role=self.value()
            ).values("user")
        )


class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "roles_here", "is_active"]
    list_filter = [RoleHereFilter, "is_active"]
    change_form_template = "admin/auth/user/change_form_roles.html"

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            users = users.filter(pk__in=members().values("pk"))
        # Membership's manager is scoped: the roles prefetched are the active organisation's.
        return users.prefetch_related(Prefetch("memberships", queryset=Membership.objects.all()))

    @admin.display(description=_("rollen hier"))
    def roles_here(self, obj):
        return role_labels(sorted({m.role for m in obj.memberships.all()}, key=Role.values.index))

    def get_object(self, request, object_id, from_field=None):
        """A user of another organisation does not exist here: 404 on every page of one
        user (change, password, delete, history), never the redirect that would tell it
        apart from a number that is nobody's."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_inline_instances(self, request, obj=None):
        if request.organisation is None:
            return []
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.verbose_name_plural = gettext("Rollen bij %(organisation)s") % {
                "organisation": request.organisation.short_name
            }
        return inlines

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        access = ["is_active", "is_superuser"] if request.user.is_superuser else ["is_active"]
        return [
            (None, {"fields": ["username", "password"]}),
            (_("Persoonlijke gegevens"), {"fields": ["first_name", "last_name", "email"]}),
            (_("Toegang"), {"fields": access}),
            (_("Belangrijke datums"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields.append("is_superuser")
        if obj is not None and not manages_account(request.user, obj):
            fields += ACCOUNT_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        # A shared account's roles here may change, so the page stays a form; its own
        # data is read-only then (get_readonly_fields).
        if obj is not None and out_of_reach(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not manages_account(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """The "delete selected" action asks for no object's own permission: refuse here
        what the delete page refuses. (Deleting a shared account would also delete its
        roles in the other organisations, which the beheerder may not touch.)"""
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            if not manages_account(request.user, obj):
                refused.add(gettext("het account %(user)s") % {"user": obj.get_username()})
        return deleted, counts, refused, protected

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if not may_set_password(request.user, user):
            raise PermissionDenied(password_refusal(request.user, user))
        return super().user_change_password(request, id, form_url)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if request.organisation is not None:
            user = self.get_object(request, unquote(object_id))
            extra_context["role_history"] = role_history(user, request.organisation)
            extra_context["role_history_organisation"] = request.organisation
        return super().change_view(request, object_id, form_url, extra_context)


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
