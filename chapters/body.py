"""The body of a text: paragraphs and bullet lists written as plain text, never HTML.

The one rule, for the form's help, the page, the PDF and the import alike:

- an empty line separates paragraphs;
- a line starting with "- ", "* " or "• " is an item of a bullet list; consecutive items
  form one list; a following line that does not start a new item continues the item;
- anything else is text, shown escaped: "<b>" is shown as typed.
"""

import re
from dataclasses import dataclass

BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "list"
    lines: tuple[str, ...]  # a paragraph's lines, or a list's items

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def parse(body: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            blocks.append(Block("paragraph", tuple(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block("list", tuple(items)))
            items.clear()

    for raw in (body or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif BULLET.match(raw):
            if paragraph:
                flush()
            items.append(BULLET.sub("", raw).strip())
        elif items:
            items[-1] = f"{items[-1]} {line}"
        else:
            paragraph.append(line)
    flush()
    return blocks


def bullets(body: str) -> list[str]:
    """All list items of a body, in order (Almelo's "Behaalde resultaten")."""
    return [item for block in parse(body) if block.is_list for item in block.lines]


def normalised(body: str) -> str:
    """The body as stored: trailing spaces and surplus empty lines removed."""
    out = []
    for block in parse(body):
        if block.is_list:
            out.append("\n".join(f"- {item}" for item in block.lines))
        else:
            out.append("\n".join(block.lines))
    return "\n\n".join(out)
