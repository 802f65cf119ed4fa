"""Roles in the admin: who holds which role in the organisation the beheerder works in.

The same rules on both pages that change roles, the roles inline on a user's page
(measures.admin_users) and the list of the organisation's roles (`MembershipAdmin`):

- a role is always held in the active organisation: the organisation is never shown or
  chosen, and a role in another organisation is neither listed nor changed;
- a user grants only the roles they hold there themselves (a superuser: any), and nobody
  changes their own roles (organisations.rights);
- removing a role needs no such rule: it gives nobody more rights;
- every grant, change and removal is in Membership's history, with who and when
  (`role_history`, shown as "Rollen-geschiedenis" on the user's page).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.admin_base import HistoryAdmin, user_label

from .admin_mixins import OrganisationOwnedAdmin
from .models import Membership
from .rights import not_held_message, out_of_reach, role_labels, roles_not_held
from .scoping import members

OWN_ROLES_MESSAGE = _("U kunt uw eigen rollen niet wijzigen.")


def granting_form(base, request):
    """`base` (a Membership form) that places a new role in the active organisation and
    grants only what the acting user may grant.

    The organisation is set on the instance before validation and kept in it, so that
    "this user has this role here already" is a message at the form, not a database
    error."""
    organisation = request.organisation
    acting = request.user

    class GrantingForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.organisation_id is None:
                self.instance.organisation = organisation

        def _get_validation_exclusions(self):
            exclusions = super()._get_validation_exclusions()
            exclusions.discard("organisation")
            if self.instance.user_id is not None:  # also where the user is not a field
                exclusions.discard("user")
            return exclusions

        def clean_role(self):
            role = self.cleaned_data["role"]
            granted = self.instance._state.adding or role != self.initial.get("role")
            if granted:
                refused = roles_not_held(acting, [role], organisation)
                if refused:
                    raise ValidationError(not_held_message(refused), code="role_not_held")
            return role

    return GrantingForm


class MembershipFormSet(forms.BaseInlineFormSet):
    """The roles inline. A user that a beheerder creates gets a role here: without one they
    would not be a member, and would vanish from the beheerder's list of users."""

    acting = None  # set per request by MembershipInline.get_formset
    organisation = None

    def get_unique_error_message(self, unique_check):
        # Django's names the fields ("organisation en role"); this says what is wrong.
        return gettext("Elke rol staat er maar één keer: deze gebruiker heeft die rol hier al.")

    def clean(self):
        super().clean()
        if not self.instance._state.adding or self.acting.is_superuser:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(
                gettext(
                    "Geef de nieuwe gebruiker ten minste één rol bij %(organisation)s. "
                    "Zonder rol werkt hij niet voor deze organisatie."
                )
                % {"organisation": self.organisation.short_name},
                code="role_required",
            )


class MembershipInline(admin.TabularInline):
    """A user's roles in the active organisation, on the user's page."""

    model = Membership
    formset = MembershipFormSet
    fields = ["role"]
    verbose_name = _("rol")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organisation=request.organisation)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = granting_form(formset.form, request)
        formset.acting = request.user
        formset.organisation = request.organisation
        return formset

    def may_change_roles_of(self, request, obj) -> bool:
        return obj is None or (obj.pk != request.user.pk and not out_of_reach(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return self.may_change_roles_of(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.may_change_roles_of(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self.may_change_roles_of(request, obj) and super().has_delete_permission(
            request, obj
        )


ACTIONS = {
    "+": _("toegekend"),
    "~": _("gewijzigd (nu deze rol)"),
    "-": _("ingetrokken"),
}


def role_history(user, organisation) -> list[dict]:
    """Every grant, change and removal of `user`'s roles in `organisation`, newest first,
    with who and when. Two queries: the history and its users."""
    records = (
        Membership.history.filter(user_id=user.pk, organisation_id=organisation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [
        {
            "when": record.history_date,
            "role": role_labels([record.role]),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "by": user_label(record.history_user) if record.history_user else _("onbekend"),
        }
        for record in records
    ]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class MembershipAdmin(OrganisationOwnedAdmin, HistoryAdmin):
    """The roles held in the active organisation: who is controller here, who beheerder.

    A beheerder adds a role to a member of the organisation (a new colleague is added on
    the user page, with a first role), changes or removes one, under the rules above.
    Someone of another organisation is made a member by a superuser."""

    list_display = ["user_name", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    ordering = ["user__last_name", "user__first_name", "user__username", "role"]
    fields = ["user", "role"]

    @admin.display(description=_("gebruiker"), ordering="user__last_name")
    def user_name(self, obj):
        return user_label(obj.user)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(organisation=request.organisation)

    def get_object(self, request, object_id, from_field=None):
        """A role of another organisation does not exist here: 404, never a redirect
        that would tell it apart from a number that is nobody's."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_readonly_fields(self, request, obj=None):
        # A role belongs to its user: changing it means another role, not another user.
        return ["user"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects.all() if request.user.is_superuser else members()
            kwargs["queryset"] = users.exclude(pk=request.user.pk).order_by(
                "last_name", "first_name", "username"
            )
            kwargs["form_class"] = UserChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        base = granting_form(super().get_form(request, obj, **kwargs), request)
        acting = request.user

        class MembershipForm(base):
            def clean_user(self):
                user = self.cleaned_data["user"]
                if user.pk == acting.pk:
                    raise ValidationError(OWN_ROLES_MESSAGE, code="own_roles")
                if out_of_reach(acting, user):
                    raise ValidationError(
                        gettext("Alleen een superuser wijzigt de rollen van dit account."),
                        code="out_of_reach",
                    )
                return user

        return MembershipForm

    def may_change(self, request, obj) -> bool:
        return obj is None or (
            obj.user_id != request.user.pk and not out_of_reach(request.user, obj.user)
        )

    def has_change_permission(self, request, obj=None):
        return self.may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_change(request, obj) and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """The "delete selected" action asks for no object's own permission: refuse here
        what the delete page refuses (one's own roles, a superuser's)."""
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            if not self.may_change(request, obj):
                refused.add(str(obj))
        return deleted, counts, refused, protected
