"""A small programme chapter for the chapter page's tests, built row by row: a goal with a
theme, action points with an approved status in two periods, texts approved and in draft,
own indicators and a BBV score."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from chapters.models import ActionPoint, ActionPointStatus, Text, TextVersion, Theme
from indicators.models import Direction, Indicator, IndicatorValue, NationalIndicator
from measures.models import Goal, Measure, ReportingPeriod, StatusLevel
from tests.factories import make_programme


def approved_text(programme, period, *, kind, body, heading="", **place):
    text = Text.objects.create(programme=programme, kind=kind, **place)
    return TextVersion.objects.create(
        text=text,
        period=period,
        heading=heading,
        body=body,
        approved_heading=heading,
        approved_body=body,
        approved_at=timezone.now(),
        state="approved",
    )


def status(point, period, level, explanation=""):
    return ActionPointStatus.objects.create(
        action_point=point,
        period=period,
        status=level,
        explanation=explanation,
        approved_status=level,
        approved_explanation=explanation,
        approved_at=timezone.now(),
        state="approved",
    )


def make_chapter(*, organisation=None, name="Programma Hoofdstuk", owner=None, extra=0):
    """The chapter; `extra` adds that many more action points, texts and indicators (the
    query-count test). Returns the current period; the previous one is its programme's
    other period."""
    period = make_programme(0, name=name, organisation=organisation)
    programme = period.programme
    previous = ReportingPeriod.objects.create(
        programme=programme,
        name="Voorjaarsnota 2024",
        kind="voorjaarsnota",
        reference_date=date(2024, 4, 1),
    )
    on_course, off_course = StatusLevel.objects.filter(scale=programme.status_scale).order_by(
        "order"
    )
    StatusLevel.objects.filter(pk=off_course.pk).update(description="loopt achter")
    approved_text(
        programme, period, kind="ambitie", heading="Onze ambitie", body="Iedereen doet mee."
    )
    draft = Text.objects.create(programme=programme, kind="terugblik")
    TextVersion.objects.create(text=draft, period=period, body="Geheime concepttekst")
    goal = Goal.objects.create(
        programme=programme,
        number=1,
        code="A",
        title="Inwoners zijn zo lang mogelijk zelfredzaam",
        short_title="Zelfredzaamheid",
    )
    approved_text(
        programme,
        period,
        kind="behaalde_resultaten",
        body="Wat we bereikten:\n\n- Wijkteams <b>versterkt</b>\n- Wachtlijst weg",
        goal=goal,
    )
    theme = Theme.objects.create(
        programme=programme, goal=goal, number="2", title="Thuis in de buurt"
    )
    measure = Measure.objects.create(programme=programme, number="7", title="Inzet wijkcoaches")
    point = ActionPoint.objects.create(
        programme=programme, theme=theme, number="11a", title="Buurtteams uitbreiden", owner=owner
    )
    point.measures.add(measure)
    status(point, previous, off_course, "Start vertraagd door werving.")
    status(point, period, on_course, "Ad 11a: loopt nu volgens plan.")
    loose = ActionPoint.objects.create(programme=programme, number="30", title="Losse actie")
    status(loose, period, off_course, "Nog niet gestart.")

    share = Indicator.objects.create(
        programme=programme,
        goal=goal,
        number="1",
        name="Inwoners die zich thuis voelen",
        unit="%",
        decimals=1,
        direction=Direction.HIGHER,
        source="Wijkmonitor",
        margin_note="Foutmarge 2 procentpunt",
    )
    for per, kind, year, value in [
        (previous, "realisatie", 2017, "44.2"),
        (period, "realisatie", 2018, "47.7"),
        (period, "streefwaarde", 2018, "45"),
    ]:
        IndicatorValue.objects.create(
            indicator=share, period=per, kind=kind, year=year, value=Decimal(value)
        )
    clients = Indicator.objects.create(
        programme=programme,
        number="2",
        name="Cliënten met ondersteuning",
        unit="aantal",
        decimals=0,
        source="Eigen registratie",
        is_discontinued=True,
        discontinued_note="Begroting 2019-2022",
    )
    IndicatorValue.objects.create(
        indicator=clients, period=period, kind="realisatie", year=2016, value=Decimal(6626)
    )
    national = Indicator.objects.create(
        programme=programme, national=NationalIndicator.objects.get(number=32, valid_from=2017)
    )
    IndicatorValue.objects.create(
        indicator=national, period=period, kind="realisatie", year=2018, value=Decimal(730)
    )
    add_extra(period, previous, goal, theme, count=extra)
    return period


def add_extra(period, previous, goal, theme, *, count):
    programme = period.programme
    if not count:
        return
    level = StatusLevel.objects.filter(scale=programme.status_scale).first()
    points = ActionPoint.objects.bulk_create(
        ActionPoint(
            programme=programme,
            theme=theme if i % 2 else None,
            goal=None if i % 2 else goal,
            number=str(100 + i),
            sort_key=f"{100 + i:05d}",
            title=f"Extra actiepunt {i}",
        )
        for i in range(count)
    )
    now = timezone.now()
    ActionPointStatus.objects.bulk_create(
        ActionPointStatus(
            action_point=point,
            period=per,
            approved_status=level,
            approved_at=now,
            state="approved",
        )
        for point in points
        for per in (previous, period)
    )
    texts = Text.objects.bulk_create(
        Text(programme=programme, kind="toelichting", goal=goal if i % 2 else None, order=10 + i)
        for i in range(count)
    )
    TextVersion.objects.bulk_create(
        TextVersion(
            text=text,
            period=period,
            approved_heading=f"Extra tekst {i}",
            approved_body="- een\n- twee",
            approved_at=now,
            state="approved",
        )
        for i, text in enumerate(texts)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(programme=programme, name=f"Extra indicator {i}", decimals=1, order=10 + i)
        for i in range(count)
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, period=per, kind=kind, year=year, value=Decimal("1.5"))
        for indicator in indicators
        for per, year in ((previous, 2017), (period, 2018))
        for kind in ("realisatie", "streefwaarde")
    )
