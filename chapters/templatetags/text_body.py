from django import template

from chapters import body

register = template.Library()


@register.filter
def body_blocks(text: str) -> list[body.Block]:
    """A text's body as paragraphs and lists (chapters.body), for the template to escape."""
    return body.parse(text)
