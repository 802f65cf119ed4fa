"""Mijn instellingen: each user switches their own e-mails on or off."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import NotificationSettingsForm
from .models import NotificationSettings


def my_settings(request):
    """Every logged-in user, for themselves only. Looking changes nothing: the row is
    written on the first save (until then every e-mail is on)."""
    current = NotificationSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST or None, instance=current or NotificationSettings(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw instellingen zijn opgeslagen."))
        return redirect("my_settings")
    return render(request, "notifications/my_settings.html", {"form": form})
