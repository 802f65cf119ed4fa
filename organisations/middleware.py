"""Chooses the organisation a request works in and activates its scope."""

from django.utils.functional import cached_property

from .scoping import organisation_scope

SESSION_KEY = "organisation"


class Workplace:
    """The organisations a user may work in, the active one and the roles held there.

    One query reads the user's memberships with their organisations; a superuser may
    work in any organisation (one more query, for them only)."""

    def __init__(self, user, session):
        self.user = user
        self.session = session

    @cached_property
    def _memberships(self):
        from django.db.models import Exists, OuterRef

        from .models import Membership, RegionMember

        if not self.user.is_authenticated:
            return []
        # Whether the organisation is in a region comes with it, for the header's link to
        # the region page, so that no page pays a query for it.
        in_region = RegionMember.objects.filter(organisation=OuterRef("organisation_id"))
        return list(
            Membership.all_memberships.filter(user=self.user)
            .select_related("organisation")
            .annotate(organisation_in_region=Exists(in_region))
        )

    @cached_property
    def organisations(self) -> list:
        from .models import Organisation

        if self.user.is_authenticated and self.user.is_superuser:
            return list(Organisation.all_organisations.all())
        seen = {}
        for membership in self._memberships:
            seen.setdefault(membership.organisation_id, membership.organisation)
        return sorted(seen.values(), key=lambda org: org.short_name)

    @cached_property
    def organisation(self):
        """The active organisation: the one chosen in this session if the user may work
        there, else the first. None for a user without any."""
        chosen = self.session.get(SESSION_KEY)
        for organisation in self.organisations:
            if organisation.pk == chosen:
                return organisation
        return self.organisations[0] if self.organisations else None

    @cached_property
    def in_region(self) -> bool:
        """Whether the active organisation is a member of a region (for a superuser
        working where they hold no role: never, so that they pay no query either)."""
        active = self.organisation
        return any(
            m.organisation_in_region
            for m in self._memberships
            if active and m.organisation_id == active.pk
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles the user holds in the active organisation."""
        active = self.organisation
        return frozenset(
            m.role for m in self._memberships if active and m.organisation_id == active.pk
        )


class ActiveOrganisationMiddleware:
    """Sets `request.workplace` and `request.organisation`, tells the permission backend
    which roles count (organisations.backends), and runs the view, its template and
    everything else in the request inside the organisation's scope.

    Must follow AuthenticationMiddleware and SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        workplace = Workplace(request.user, request.session)
        request.workplace = workplace
        request.organisation = workplace.organisation
        if request.user.is_authenticated:
            request.user.workplace = workplace
        active = () if workplace.organisation is None else (workplace.organisation,)
        with organisation_scope(*active):
            return self.get_response(request)
