"""A small chapter for the chapter workflow tests: a text, an action point and an
indicator in a programme, with the text's and action point's rows in a period."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from chapters.models import ActionPoint, ActionPointStatus, Text, TextKind, TextVersion
from chapters.services import row_for
from indicators.models import Indicator
from measures.models import StatusLevel


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def chapter_in(period, *, owner=None, prefix: str = ""):
    """A text and action point of `owner` (the demo invoerder unless said otherwise) with
    their rows in `period`, and an indicator of theirs with one decimal."""
    owner = owner or demo_user("invoerder")
    programme = period.programme
    text = Text.objects.create(
        programme=programme, kind=TextKind.RESULTS, heading=f"{prefix}Resultaten", owner=owner
    )
    point = ActionPoint.objects.create(
        programme=programme, number="11a", title=f"{prefix}Wijkteams versterken", owner=owner
    )
    indicator = Indicator.objects.create(
        programme=programme,
        number="1",
        name=f"{prefix}Cliënttevredenheid",
        unit="rapportcijfer",
        decimals=1,
        owner=owner,
    )
    return SimpleNamespace(
        owner=owner,
        period=period,
        text=text,
        point=point,
        indicator=indicator,
        version=row_for(TextVersion, subject=text, period=period, user=owner),
        status=row_for(ActionPointStatus, subject=point, period=period, user=owner),
    )


def level(period, *, on_course: bool) -> StatusLevel:
    return StatusLevel.objects.filter(
        scale_id=period.programme.status_scale_id, counts_as_on_course=on_course
    ).first()
