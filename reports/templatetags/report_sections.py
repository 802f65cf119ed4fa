from django import template

from reports.sections import kind_label_heading

register = template.Library()


@register.filter
def has_kind_heading(text) -> bool:
    """Whether a chapter text's heading is only its kind's name (reports.sections)."""
    return kind_label_heading(text)
