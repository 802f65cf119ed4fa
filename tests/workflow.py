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
