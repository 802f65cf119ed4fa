"""The region pages: the regions of the user's organisation, and one region's figures.

Who may read: a manager or controller (the permission organisations.view_region_overview,
measures.roles) of the organisation they work in now, and only regions that organisation
is a member of. The role counts in the active organisation, as every permission does
(zorg.auth): a person who is manager in Almelo and invoerder in Enschede reads Twente
while working for Almelo, not while working for Enschede. A region the active
organisation is not a member of answers 404, whatever the role, so that its name is not
given away.
"""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Region
from .region_data import load_region


def regions_of(organisation):
    """The regions `organisation` is a member of (none without one)."""
    if organisation is None:
        return Region.objects.none()
    return Region.objects.filter(memberships__organisation=organisation)


@require_GET
@permission_required("organisations.view_region_overview", raise_exception=True)
def region_list(request):
    regions = list(regions_of(request.organisation))
    return render(request, "organisations/region_list.html", {"regions": regions})


@require_GET
@permission_required("organisations.view_region_overview", raise_exception=True)
def region_detail(request, pk: int):
    region = get_object_or_404(regions_of(request.organisation), pk=pk)
    return render(
        request,
        "organisations/region_detail.html",
        {"region": region, "figures": load_region(region)},
    )
