"""/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

# The contents come from the settings of the running deployment, so they are as current
# as it is; a rolling Expires, well under the RFC's year, makes readers fetch it again
# rather than keep an old contact.
VALID_FOR = timedelta(days=180)


@login_not_required
@require_safe
def security_txt(request):
    expires = datetime.combine(datetime.now(UTC).date() + VALID_FOR, time(), tzinfo=UTC)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
