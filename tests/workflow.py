"""Helpers for the update workflow tests: the Najaarsrapportage's updates and form data."""

from measures.models import MeasureUpdate, ReportingPeriod


def open_period():
    return ReportingPeriod.objects.get(name="Najaarsrapportage 2020")


def update_of(title: str, period=None) -> MeasureUpdate:
    return MeasureUpdate.objects.get(measure__title=title, period=period or open_period())


def form_data(update: MeasureUpdate, **changes) -> dict:
    """The update form as the browser would post it, unchanged unless told otherwise."""
    from measures.forms import UpdateForm
    from measures.models import StatusLevel

    levels = StatusLevel.objects.filter(scale=update.period.programme.status_scale)
    form = UpdateForm(update=update, levels=levels)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[name] = (
            field.prepare_value(value)
            if hasattr(field, "prepare_value") and value not in ("", None)
            else ("" if value is None else value)
        )
    data.update(changes)
    return data


def form_in_page(html: str, form_class: str = "update-form") -> dict:
    """The fields of a form on a page as the browser would post them: its inputs,
    checked radios and textareas, with the values the page shows."""
    from html.parser import HTMLParser

    class FormReader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside = False
            self.textarea = None
            self.data = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.inside = form_class in (attrs.get("class") or "").split()
            elif self.inside and tag == "input" and attrs.get("name"):
                if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                    return
                if attrs.get("type") != "submit":
                    self.data[attrs["name"]] = attrs.get("value") or ""
            elif self.inside and tag == "textarea":
                self.textarea = attrs["name"]
                self.data[self.textarea] = ""

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None
            elif tag == "form":
                self.inside = False

    reader = FormReader()
    reader.feed(html)
    reader.close()
    # Django renders a newline after <textarea>, which the browser drops.
    return {
        name: value.removeprefix("\n") if isinstance(value, str) else value
        for name, value in reader.data.items()
    }
