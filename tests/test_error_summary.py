"""Every form's error summary lists each error as a link to its field and takes focus.

The summary is one partial (templates/forms/_error_summary.html): focusable (tabindex=-1)
and focused by static/js/forms.js, never by inline script (the Content-Security-Policy
allows scripts from our own files only).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.models import Programme
from tests.workflow import form_data, open_period, update_of


class Page(HTMLParser):
    """The ids of the form fields, the error summary's links and texts, and the scripts."""

    def __init__(self, html: str):
        super().__init__()
        self.field_ids: set[str] = set()
        self.summaries: list[dict] = []
        self.scripts: list[dict] = []
        self.event_handlers: list[str] = []
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.event_handlers += [name for name in attrs if name.startswith("on")]
        if tag in ("input", "select", "textarea") and attrs.get("id"):
            self.field_ids.add(attrs["id"])
        if tag == "script":
            self.scripts.append(attrs)
        if "error-summary" in (attrs.get("class") or "").split():
            self.summaries.append({"attrs": attrs, "links": [], "text": ""})
            self._depth = 1
        elif self._depth:
            self._depth += tag not in ("input", "br", "img")
            if tag == "a":
                self.summaries[-1]["links"].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.summaries[-1]["text"] += data


def summary_of(response) -> tuple[dict, Page]:
    page = Page(response.content.decode())
    assert len(page.summaries) == 1, f"expected one error summary, found {len(page.summaries)}"
    summary = page.summaries[0]
    assert summary["attrs"].get("tabindex") == "-1"
    # Focused by our own script file, no inline script or event handler attributes.
    assert any(s.get("src", "").endswith("/js/forms.js") for s in page.scripts)
    assert all(s.get("src") for s in page.scripts), "inline <script> found"
    assert not page.event_handlers, page.event_handlers
    for href in summary["links"]:
        assert href.startswith("#") and href[1:] in page.field_ids, href
    return summary, page


def log_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_update_form_links_each_error_to_its_field(almelo, client):
    log_in(client, "invoerder")
    update = update_of("Stoppen met dienstencheques")
    levels = update.period.programme.status_scale.levels
    data = form_data(update, status=str(levels.get(label="Nee").pk), forecast_2021="zestig")
    data["submit"] = "1"
    response = client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 200
    summary, _ = summary_of(response)
    assert "De update is niet opgeslagen" in summary["text"]
    assert "#id_forecast_2021" in summary["links"]
    assert "Prognose 2021 (€): Vul een bedrag in hele euro" in summary["text"]


def test_update_form_links_a_service_error_to_its_field(almelo, client):
    """Not on course without cause, consequence and corrective action: the service refuses,
    and the summary links each refusal to its field."""
    log_in(client, "invoerder")
    update = update_of("Stoppen met dienstencheques")
    nee = update.period.programme.status_scale.levels.get(label="Nee")
    data = form_data(update, status=str(nee.pk), cause="", consequence="", corrective_action="")
    data["submit"] = "1"
    summary, _ = summary_of(client.post(reverse("update_form", args=[update.pk]), data))
    assert {"#id_cause", "#id_consequence", "#id_corrective_action"} <= set(summary["links"])


def test_update_form_links_the_status_error_to_the_first_choice(almelo, client):
    log_in(client, "invoerder")
    update = update_of("Stoppen met dienstencheques")
    data = form_data(update, status="")
    data["submit"] = "1"
    summary, _ = summary_of(client.post(reverse("update_form", args=[update.pk]), data))
    assert summary["links"] == ["#id_status_0"]
    assert "Kies of de maatregel op koers is." in summary["text"]


def test_open_period_form_links_the_deadline(almelo, client):
    log_in(client, "controller")
    response = client.post(
        reverse("periods"),
        {
            "programme": Programme.objects.get(name="Programma Zorg").pk,
            "name": "Voorjaarsnota 2021",
            "kind": "voorjaarsnota",
            "reference_date": "2021-04-01",
            "deadline": "2021-03-01",
        },
    )
    summary, _ = summary_of(response)
    assert summary["links"] == ["#id_deadline"]


def test_open_period_form_lists_a_form_wide_error_without_a_link(almelo, client):
    log_in(client, "controller")
    period = open_period()
    response = client.post(
        reverse("periods"),
        {
            "programme": period.programme_id,
            "name": period.name,
            "kind": "voorjaarsnota",
            "reference_date": "2021-04-01",
        },
    )
    summary, _ = summary_of(response)
    assert summary["links"] == []
    assert "Er is al een rapportagemoment met deze naam in dit programma." in summary["text"]


def test_return_form_links_the_reason(almelo, client):
    log_in(client, "controller")
    update = update_of("Aanpassing PGB tarieven")
    response = client.post(reverse("return_update", args=[update.pk]), {"reason": ""})
    summary, _ = summary_of(response)
    assert summary["links"] == ["#id_reason"]


def test_revise_target_form_links_every_missing_field(almelo, client):
    log_in(client, "controller")
    fields = ["target", "new_amount", "reason", "decision_reference", "decided_on"]
    response = client.post(
        reverse("revise_target", args=[Programme.objects.get(name="Programma Zorg").pk]),
        dict.fromkeys(fields, ""),
    )
    summary, _ = summary_of(response)
    assert summary["links"] == [f"#id_{name}" for name in fields]


def test_login_form_summarises_a_failed_login(almelo, client):
    response = client.post(reverse("login"), {"username": "manager", "password": "fout"})
    summary, _ = summary_of(response)
    assert "gebruikersnaam" in summary["text"]


def test_import_form_links_the_missing_file(almelo, client):
    log_in(client, "controller")
    response = client.post(
        reverse("imports:start"), {"programme": Programme.objects.get(name="Programma Zorg").pk}
    )
    summary, _ = summary_of(response)
    assert summary["links"] == ["#id_file"]


def test_overview_filters_link_a_wrong_choice(almelo, client):
    log_in(client, "manager")
    summary, _ = summary_of(client.get(reverse("overview") + "?plan=999"))
    assert summary["links"] == ["#id_plan"]
    assert "De filters zijn niet toegepast" in summary["text"]


@pytest.mark.parametrize("url_name", ["periods", "login", "overview"])
def test_no_summary_without_errors(almelo, client, url_name):
    log_in(client, "controller")
    html = client.get(reverse(url_name)).content.decode()
    assert not re.search(r'class="[^"]*error-summary', html)


def test_import_problems_summary_takes_focus_too(almelo, client):
    """A file with wrong content: its problems are listed with links to their rows, and
    that summary takes focus like a form's."""
    from tests.imports.conftest import upload

    log_in(client, "controller")
    content = b"Maatregelenplan;Volgnr;Omschrijving;2021\nPlan 1;1;Iets;veel geld\n"
    response = upload(
        client, content, programme=Programme.objects.get(name="Programma Zorg"), name="x.csv"
    )
    summary, _ = summary_of(response)
    assert "Er is niets geïmporteerd" in summary["text"]
    assert "data-error-summary" in summary["attrs"]
