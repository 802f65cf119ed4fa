"""The help page: the glossary of the words the overview and the reports use."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import StatusScale


@require_safe
def help_page(request):
    """Open to every logged-in role: it shows no measure data, only what the words mean
    and the status scales the programmes use (a scale is data, so its meaning is too)."""
    scales = (
        StatusScale.objects.filter(programmes__isnull=False).distinct().prefetch_related("levels")
    )
    return render(request, "help.html", {"scales": scales})
