"""Where the report's stylesheets and fonts live: the only files WeasyPrint may read."""

from pathlib import Path

from django.conf import settings

STATIC_DIR = Path(settings.BASE_DIR) / "static" / "reports"
