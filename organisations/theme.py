"""An organisation's look: the colour tokens it may set, their NL Design System names, the
defaults, and the contrast every combination must keep.

The tokens are a small fixed set, each stored in its own field on Organisation
(organisations.models) and served as CSS custom properties by organisations.views.theme_css.
Each has our own name (`--km-…`, which static/css/koersmonitor.css uses) and the NL Design
System component or basis token it stands for, so that an NL Design System component put
on a page later follows the same colours. The defaults are NL Design System's open example
theme ("voorbeeld", nl-design-system/themes, packages/voorbeeld-design-tokens); the same
values are the fallback at the top of koersmonitor.css, for the pages shown before a user
has an organisation (the login page).

What an organisation does not set stays fixed: body text, page and card backgrounds, the
status colours. Every pair an organisation can change is checked (`contrast_problems`): text
at least 4.5:1, the focus indicator at least 3:1 (WCAG 2.1 1.4.3 and 1.4.11), whatever
values are chosen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .contrast import HEX_COLOUR, NON_TEXT_MINIMUM, TEXT_MINIMUM, contrast_ratio, format_ratio

logger = logging.getLogger(__name__)

# Fixed colours of koersmonitor.css the organisation's tokens are shown on.
WHITE = "#ffffff"  # cards, tables, buttons (--km-surface)
# The darkest of the light backgrounds links and buttons are shown on (--km-plan: a plan's
# row, a button under the mouse); above it the page (--km-page) and white contrast more.
LIGHT = "#e3ecf5"
FOCUS_RING = "#1a1a1a"  # the dark ring around the focus outline (--km-text)


@dataclass(frozen=True)
class Token:
    field: str
    css: str  # our custom property
    nl_design_system: tuple[str, ...]  # the NL Design System properties it also sets
    default: str
    label: str


TOKENS = (
    Token(
        "primary_color",
        "--km-primary",
        (
            "--basis-color-action-1-inverse-bg-default",
            "--utrecht-button-primary-action-background-color",
        ),
        "#5115ef",
        _("hoofdkleur"),
    ),
    Token(
        "primary_text_color",
        "--km-primary-text",
        (
            "--basis-color-action-1-inverse-color-default",
            "--utrecht-button-primary-action-color",
        ),
        "#ffffff",
        _("tekstkleur op de hoofdkleur"),
    ),
    Token(
        "primary_hover_color",
        "--km-primary-dark",
        (
            "--basis-color-action-1-inverse-bg-hover",
            "--utrecht-button-primary-action-hover-background-color",
        ),
        "#3b0fb0",
        _("hoofdkleur onder de muis"),
    ),
    Token(
        "header_background",
        "--km-header-bg",
        ("--basis-color-accent-1-inverse-bg-document", "--utrecht-page-header-background-color"),
        "#3b0fb0",
        _("achtergrond van de kopregel"),
    ),
    Token(
        "header_text_color",
        "--km-header-text",
        ("--basis-color-accent-1-inverse-color-document", "--utrecht-page-header-color"),
        "#ffffff",
        _("tekstkleur van de kopregel en het menu"),
    ),
    Token(
        "nav_background",
        "--km-nav-bg",
        ("--basis-color-accent-1-inverse-bg-subtle", "--utrecht-navbar-background-color"),
        "#1d0857",
        _("achtergrond van het menu"),
    ),
    Token(
        "link_color",
        "--km-link",
        ("--basis-color-action-2-color-default", "--nl-link-color", "--utrecht-link-color"),
        "#00568b",
        _("kleur van links"),
    ),
    Token(
        "link_hover_color",
        "--km-link-hover",
        (
            "--basis-color-action-2-color-hover",
            "--nl-link-hover-color",
            "--utrecht-link-hover-color",
        ),
        "#003e65",
        _("kleur van links onder de muis"),
    ),
    Token(
        "focus_color",
        "--km-focus",
        ("--basis-focus-background-color", "--utrecht-focus-background-color"),
        "#ffdd00",
        _("focuskleur"),
    ),
)

TOKEN_FIELDS = tuple(token.field for token in TOKENS)
DEFAULTS = {token.field: token.default for token in TOKENS}


@dataclass(frozen=True)
class Pair:
    """A foreground on a background that must keep `minimum` contrast. A colour is a token
    field name or a fixed #rrggbb; the error is shown at `field`."""

    foreground: str
    background: str
    minimum: float
    field: str
    message: str  # with %(ratio)s and %(minimum)s


TEXT_PAIRS = (
    Pair(
        "primary_text_color",
        "primary_color",
        TEXT_MINIMUM,
        "primary_text_color",
        _(
            "De tekstkleur op de hoofdkleur (knoppen) heeft te weinig contrast "
            "(%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
    Pair(
        "primary_text_color",
        "primary_hover_color",
        TEXT_MINIMUM,
        "primary_hover_color",
        _(
            "De tekstkleur op de hoofdkleur onder de muis heeft te weinig contrast "
            "(%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
    Pair(
        "primary_color",
        LIGHT,
        TEXT_MINIMUM,
        "primary_color",
        _(
            "De hoofdkleur als tekst op een lichte achtergrond (knoppen) heeft te weinig "
            "contrast (%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
    Pair(
        "header_text_color",
        "header_background",
        TEXT_MINIMUM,
        "header_text_color",
        _(
            "De tekstkleur op de kopregel heeft te weinig contrast "
            "(%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
    Pair(
        "header_text_color",
        "nav_background",
        TEXT_MINIMUM,
        "nav_background",
        _("De tekstkleur op het menu heeft te weinig contrast (%(ratio)s; minimaal %(minimum)s)."),
    ),
    Pair(
        "link_color",
        LIGHT,
        TEXT_MINIMUM,
        "link_color",
        _(
            "De kleur van links op een lichte achtergrond heeft te weinig contrast "
            "(%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
    Pair(
        "link_hover_color",
        LIGHT,
        TEXT_MINIMUM,
        "link_hover_color",
        _(
            "De kleur van links onder de muis heeft te weinig contrast op een lichte "
            "achtergrond (%(ratio)s; minimaal %(minimum)s)."
        ),
    ),
)

# The focus indicator is an outline in the focus colour inside a dark ring (FOCUS_RING):
# on each background, one of the two must stand out by 3:1.
FOCUS_BACKGROUNDS = (
    ("header_background", _("op de kopregel")),
    ("nav_background", _("op het menu")),
    (WHITE, _("op een witte achtergrond")),
)
FOCUS_MESSAGE = _(
    "De focuskleur valt %(where)s te weinig op (%(ratio)s; minimaal %(minimum)s), ook niet "
    "met de donkere rand eromheen."
)


def _colour(values: dict, name: str) -> str:
    return name if name.startswith("#") else values[name]


def contrast_problems(values: dict[str, str]) -> dict[str, list[str]]:
    """The Dutch message per field for every pair in `values` (token field -> #rrggbb) below
    its minimum. Pairs with a value that is not a valid colour are left to that field's own
    validation."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message) -> None:
        problems.setdefault(field, []).append(str(message))

    for pair in TEXT_PAIRS:
        try:
            ratio = contrast_ratio(
                _colour(values, pair.foreground), _colour(values, pair.background)
            )
        except (KeyError, ValueError):
            continue
        if ratio < pair.minimum:
            add(
                pair.field,
                pair.message
                % {"ratio": format_ratio(ratio), "minimum": format_ratio(pair.minimum)},
            )
    for background, where in FOCUS_BACKGROUNDS:
        try:
            colour = _colour(values, background)
            ratio = contrast_ratio(values["focus_color"], colour)
        except (KeyError, ValueError):
            continue
        if ratio < NON_TEXT_MINIMUM and contrast_ratio(FOCUS_RING, colour) < NON_TEXT_MINIMUM:
            add(
                "focus_color",
                FOCUS_MESSAGE
                % {
                    "where": where,
                    "ratio": format_ratio(ratio),
                    "minimum": format_ratio(NON_TEXT_MINIMUM),
                },
            )
    return problems


def stylesheet(values: dict[str, str]) -> str:
    """The organisation's tokens as CSS custom properties on :root.

    Organisation.clean checks every value and pair, but a write can go around it (the
    shell, an update(), a restored backup). So the stylesheet checks again: a value that
    is not a colour gives that token's default, and if the colours then miss any contrast
    minimum, every token gives its default. Nothing but a colour reaches the CSS, and the
    pages keep WCAG 2.1 AA contrast whatever is stored."""
    effective = {
        token.field: value
        if HEX_COLOUR.match(value := values.get(token.field) or "")
        else token.default
        for token in TOKENS
    }
    if contrast_problems(effective):
        logger.warning("Stored colours miss a contrast minimum; the default look is served.")
        effective = dict(DEFAULTS)
    lines = [":root {"]
    for token in TOKENS:
        for name in (token.css, *token.nl_design_system):
            lines.append(f"  {name}: {effective[token.field]};")
    lines.append("}")
    return "\n".join(lines) + "\n"
