"""A Content-Security-Policy that runs no inline script, on every page, and pages that need none.

The policy only helps if the pages work under it, so every page reachable by a link is
rendered as each role and checked for inline scripts and event handler attributes; the
templates are checked the same way, including those no link reaches.
"""

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve, reverse

from measures.models import ReportingPeriod

ROLES = ["invoerder", "controller", "manager", "beheerder"]
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The report's web version is a self-contained file for the council's website: its
# stylesheet is inline by design, under a policy of its own that allows no script at all.
SELF_CONTAINED_DOCUMENTS = {
    "reports/report_web.html",
    "reports/document_web.html",
    "reports/_status.html",
}


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    policy = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def assert_strict(response, *, admin=False):
    """The strict policy; admin pages may allow inline styles (zorg/admin_site.py), never
    inline script."""
    policy = directives(response)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts == ["'self'"], scripts
    if not admin:
        assert "'unsafe-inline'" not in policy["style-src"], policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(attributes["href"])
        # A JSON data block (json_script) is not executed, and CSP does not block it.
        if (
            tag == "script"
            and not attributes.get("src")
            and attributes.get("type") != "application/json"
        ):
            self.problems.append(f"inline <script {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")


def crawl(client, start: list[str]):
    """Every page a user can reach by following links, one visit per URL pattern (the
    same pattern renders the same template): yields (url, view name, response)."""
    queue = deque(start)
    seen = set()
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.route in seen:
            continue
        seen.add(match.route)
        response = client.get(url)
        yield url, match.view_name, response
        if response.get("Content-Type", "").startswith("text/html"):
            parser = PageParser()
            parser.feed(response.content.decode())
            queue.extend(parser.links)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_the_policy_and_no_inline_script(almelo, client, role):
    client.force_login(get_user_model().objects.get(username=role))
    pages = 0
    for url, view_name, response in crawl(client, ["/", "/beheer/"]):
        assert response.status_code < 500, url
        if view_name == "reports:html":
            continue  # the self-contained report document has a policy of its own, below
        assert_strict(response, admin=url.startswith("/beheer/"))
        if response.get("Content-Type", "").startswith("text/html"):
            parser = PageParser()
            parser.feed(response.content.decode())
            assert not parser.problems, (role, url, parser.problems)
            pages += 1
    # The crawl reached the app's pages and, for staff, the admin's.
    assert pages >= (8 if role == "invoerder" else 35), pages


def test_anonymous_pages_have_the_policy(almelo, client):
    for url in [reverse("login"), "/bestaat-niet/", "/.well-known/security.txt"]:
        assert_strict(client.get(url))


def test_the_web_report_allows_its_own_stylesheet_and_no_script(almelo, manager_client):
    period = ReportingPeriod.objects.get(name="Midterm review 2020")
    response = manager_client.get(reverse("reports:html", args=[period.pk]))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'none'"] and "script-src" not in policy
    assert policy["frame-ancestors"] == ["'none'"]
    assert "<style>" in response.content.decode()


def template_files():
    return sorted(path for path in TEMPLATES.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_templates_hold_no_inline_script_or_style(path):
    source = path.read_text(encoding="utf-8")
    name = str(path.relative_to(TEMPLATES))
    assert not INLINE_SCRIPT.search(source), name
    assert not EVENT_HANDLER.search(source), name
    assert "javascript:" not in source.lower(), name
    if name not in SELF_CONTAINED_DOCUMENTS:
        assert not INLINE_STYLE.search(source), name
