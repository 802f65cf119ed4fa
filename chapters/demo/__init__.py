"""The demo's programme chapters (issue 10): the texts, themes, action points and
indicators of the seeds, loaded into the four demo municipalities by `load_demo`.

measures.demo walks every demo period through the real workflow (open, update, submit,
approve, close); `load_period_chapter` is called in that walk after the period's measure
updates are approved and before it closes. It fills the chapter of that period the way
users would: invoerders write the texts and statuses and submit them, a controller of the
same organisation approves them (four eyes, chapters.services), indicator values are
entered, and closing then freezes it all; the next period starts from it (carry-over).
Like the rest of the demo it runs only for a period that is new, so loading twice
changes nothing.

Names, facts and figures come from the seeds (../shared/seeds); every explanation is
written for the demo in our own words. One module per municipality: almelo, venlo,
enschede, hengelo.
"""

from django.contrib.auth import get_user_model

from chapters import services
from chapters.models import ActionPoint, ActionPointStatus, Text, TextVersion, Theme
from indicators.models import Indicator, IndicatorPart, IndicatorValue
from measures.models import Goal, ReportingPeriod


def load_period_chapter(period: ReportingPeriod) -> None:
    """Fill the chapter of a demo period that was just opened (and not yet closed)."""
    from . import almelo, enschede, hengelo, venlo

    loaders = {**almelo.LOADERS, **venlo.LOADERS, **enschede.LOADERS, **hengelo.LOADERS}
    programme = period.programme
    loader = loaders.get((programme.organisation.cbs_code, programme.name, period.name))
    if loader is not None:
        loader(period)


def user(username: str):
    return get_user_model().objects.get(username=username)


def saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def upsert(model, lookup: dict, values: dict):
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    return saved(instance)


def set_goal(programme, number: int, **values) -> Goal:
    """A goal of the demo fixture, with the short title or letter the report uses."""
    goal = Goal.objects.get(programme=programme, number=number)
    if not values:
        return goal
    for name, value in values.items():
        setattr(goal, name, value)
    return saved(goal)


def theme(programme, title: str, *, number: str = "", goal=None, order: int = 0) -> Theme:
    return upsert(
        Theme,
        {"programme": programme, "title": title},
        {"number": number, "goal": goal, "order": order},
    )


def action_point(programme, *, title: str, number: str = "", order: int, **values) -> ActionPoint:
    lookup = {"programme": programme}
    lookup.update({"number": number} if number else {"title": title})
    return upsert(ActionPoint, lookup, {"title": title, "order": order, **values})


def text(programme, kind: str, *, order: int, owner, heading: str = "", **place) -> Text:
    """A place for a text: of the programme, or of the goal, theme or action point in
    `place`; one per kind and heading there."""
    lookup = {"programme": programme, "kind": kind, "heading": heading}
    for name in ("goal", "theme", "action_point"):
        lookup[name] = place.get(name)
    return upsert(Text, lookup, {"owner": owner, "order": order})


def write_texts(period, writings: list[tuple[Text, str]], *, writer, approver) -> None:
    """Each text's body written and submitted by `writer`, then approved by `approver`."""
    ids = []
    for place, body in writings:
        row = services.row_for(TextVersion, subject=place, period=period, user=writer)
        row = services.save_row(
            model=TextVersion,
            row_id=row.pk,
            user=writer,
            expected_version=row.version,
            content={"heading": place.heading, "body": body},
        )
        services.submit_row(model=TextVersion, row_id=row.pk, user=writer)
        ids.append(row.pk)
    services.approve_rows(model=TextVersion, row_ids=ids, user=approver)


def report_statuses(period, statuses: list[tuple[ActionPoint, object, str]], *, approver):
    """Each action point's status and explanation reported and submitted by its owner,
    then approved by `approver`."""
    ids = []
    for point, level, explanation in statuses:
        writer = point.owner
        row = services.row_for(ActionPointStatus, subject=point, period=period, user=writer)
        row = services.save_row(
            model=ActionPointStatus,
            row_id=row.pk,
            user=writer,
            expected_version=row.version,
            content={"status": level, "explanation": explanation},
        )
        services.submit_row(model=ActionPointStatus, row_id=row.pk, user=writer)
        ids.append(row.pk)
    services.approve_rows(model=ActionPointStatus, row_ids=ids, user=approver)


def indicator(programme, *, lookup: dict, parts: list[str] = (), **values) -> Indicator:
    found = upsert(Indicator, {"programme": programme, **lookup}, values)
    for order, label in enumerate(parts):
        upsert(IndicatorPart, {"indicator": found, "label": label}, {"order": order})
    return found


def enter_value(
    found: Indicator, period, *, year: int, kind: str, value, user, part=None, qualifier: str = ""
) -> IndicatorValue:
    """A value as an invoerder enters it; the period's closing freezes it."""
    return upsert(
        IndicatorValue,
        {"indicator": found, "part": part, "period": period, "year": year, "kind": kind},
        {"value": value, "qualifier": qualifier, "updated_by": user, "_history_user": user},
    )
