"""HTML to PDF with WeasyPrint, reading nothing but the report's own static files.

Three decisions live here:

* Safety: WeasyPrint fetches every URL a document or stylesheet names. `StaticFilesFetcher`
  answers only for files under static/reports/ and for PNG and JPEG images inside a data:
  URL (the organisation's logo on the cover, reports.documents.cover_logo, which reads
  nothing and calls nowhere), and refuses everything else (http, other files, path
  tricks, other data: URLs), so nothing a user typed can make the server read a file or
  call out, even if it ever reached the HTML unescaped.
* Speed: parsing the stylesheets and loading the fonts costs more than laying out a short
  report. A `PdfRenderer` does both once; `renderer()` keeps one per thread, because
  Pango's font map, which the font configuration holds, may not be shared between threads.
  In a process that serves with one thread (the usual worker) that is once per process.
* Accessibility: every PDF is PDF/UA-1, which makes WeasyPrint tag the structure
  (headings, tables with their header cells, figures with their text alternative) and
  set the language and title from the HTML.

This module imports WeasyPrint, which takes about a second; import it only where a PDF is
rendered (see reports.documents).
"""

import base64
import binascii
import logging
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .static import STATIC_DIR

logger = logging.getLogger(__name__)

# fonts.css holds the @font-face rules; the web version of a report leaves it out.
STYLESHEETS = ("fonts.css", "report.css")
# The only data: URLs served: an image of these types, base64-encoded.
DATA_IMAGE_TYPES = ("image/png", "image/jpeg")
PDF_VARIANT = "pdf/ua-1"


class StaticFilesFetcher(URLFetcher):
    """Serves file: URLs inside static/reports/ and refuses every other URL."""

    def __init__(self):
        super().__init__()
        self.root = STATIC_DIR.resolve()

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            content_type, content = self.data_image(url)
            return URLFetcherResponse(url[:64], content, {"Content-Type": content_type})
        path = self.local_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def data_image(self, url: str) -> tuple[str, bytes]:
        """A PNG or JPEG in a base64 data: URL; ValueError for any other data: URL."""
        header, _, payload = url.partition(",")
        content_type = header.removeprefix("data:").removesuffix(";base64")
        if not header.endswith(";base64") or content_type not in DATA_IMAGE_TYPES:
            logger.warning("Report rendering refused to read %s", url[:64])
            raise ValueError(f"Reports only read their own static files, not {url[:64]}")
        try:
            return content_type, base64.b64decode(payload, validate=True)
        except binascii.Error as error:
            raise ValueError("Reports only read their own static files: bad data: URL") from error

    def local_path(self, url: str) -> Path:
        """The file a URL names, if it is one of ours; ValueError (which WeasyPrint logs
        and skips) for anything else."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            logger.warning("Report rendering refused to fetch %s", url[:200])
            raise ValueError(f"Reports only read their own static files, not {url[:200]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            logger.warning("Report rendering refused to read %s", path)
            raise ValueError(f"Reports only read their own static files, not {path}")
        return path


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


class PdfRenderer:
    """The parsed stylesheets and fonts, ready to render any number of documents."""

    def __init__(self):
        self.fetcher = StaticFilesFetcher()
        self.font_config = FontConfiguration()
        self.stylesheets = [
            CSS(filename=STATIC_DIR / name, url_fetcher=self.fetcher, font_config=self.font_config)
            for name in STYLESHEETS
        ]

    def render(self, html: str) -> RenderedPdf:
        document = HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=self.fetcher
        ).render(
            stylesheets=self.stylesheets,
            font_config=self.font_config,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
        )
        content = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
        return RenderedPdf(content, len(document.pages))


_local = threading.local()


def renderer() -> PdfRenderer:
    """This thread's renderer, created on first use."""
    if not hasattr(_local, "renderer"):
        _local.renderer = PdfRenderer()
    return _local.renderer
