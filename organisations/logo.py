"""An uploaded logo, checked and re-encoded before it is stored.

Only PNG and JPEG are accepted (no SVG: an SVG is a document that can carry script and
fetch other files, and would need a sanitiser of its own). The type is read from the
image itself, never from the file name or the browser's content type. Pillow decodes the
image and writes a new file of the same type: whatever else the upload carried (metadata,
trailing data, a second file glued on) does not survive, and what is served is an image
Pillow made. It is scaled down to at most MAX_SIZE, which the header (3rem high) and the
report cover (a few centimetres) never exceed by much.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 1024 * 1024
# Pixels an upload may have before it is decoded: refuses a small file that would expand
# into an enormous image (a decompression bomb) before the memory is spent.
MAX_PIXELS = 25_000_000
MAX_SIZE = (1200, 400)
MIN_SIDE = 16
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class CleanLogo:
    content: bytes
    content_type: str
    width: int
    height: int

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_logo(upload) -> CleanLogo:
    """The logo in `upload` (a file-like object with .size), re-encoded; a ValidationError
    with a Dutch message when it is not a usable PNG or JPEG."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Het logo is te groot (%(size)s kB); het mag hoogstens %(max)s kB zijn.")
            % {"size": size // 1024, "max": MAX_UPLOAD_BYTES // 1024},
            code="too_large",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Het logo is te groot; het mag hoogstens %(max)s kB zijn.")
            % {"max": MAX_UPLOAD_BYTES // 1024},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("Dit bestand is geen PNG- of JPEG-afbeelding. Kies een logo als .png of .jpg."),
        code="invalid_image",
    )
    try:
        with Image.open(BytesIO(data), formats=list(FORMATS)) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Het logo heeft te veel beeldpunten (%(width)s × %(height)s).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            if min(width, height) < MIN_SIDE:
                raise ValidationError(
                    _(
                        "Het logo is te klein (%(width)s × %(height)s beeldpunten); het moet "
                        "minstens %(min)s beeldpunten hoog en breed zijn."
                    )
                    % {"width": width, "height": height, "min": MIN_SIDE},
                    code="too_small",
                )
            image.load()
            return _reencoded(image, kind)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None


def _reencoded(image: Image.Image, kind: str) -> CleanLogo:
    image.thumbnail(MAX_SIZE)
    out = BytesIO()
    if kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, optimize=True)
    return CleanLogo(out.getvalue(), FORMATS[kind], image.width, image.height)
