from django import template

register = template.Library()


@register.filter
def warning_for(form, field) -> str:
    """The plausibility warning (forms.ConfirmsAmounts.warnings) of a bound field, or ""."""
    return form.warnings.get(field.name, "")
