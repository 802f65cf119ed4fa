"""The demo's programme chapters (chapters/demo): what load_demo puts in each
municipality's chapter matches the seeds' structure (reference/seed_tables_more.json,
structure_counts) and figures, through the real workflow (four eyes, closed periods),
and loading twice changes nothing."""

import pytest
from django.core.management import call_command

from chapters import body
from chapters.models import (
    ActionPoint,
    ActionPointKind,
    ActionPointStatus,
    Text,
    TextKind,
    TextVersion,
    Theme,
)
from indicators.figures import reported
from indicators.models import Indicator, IndicatorValue, ValueKind
from measures.constants import UpdateState
from measures.models import Goal, PeriodClosedError, ReportingPeriod


def period(programme: str, name: str) -> ReportingPeriod:
    return ReportingPeriod.objects.select_related("programme").get(
        programme__name=programme, name=name
    )


def approved(text: Text, in_period: ReportingPeriod) -> TextVersion:
    return TextVersion.objects.get(text=text, period=in_period, state=UpdateState.APPROVED)


def figures(in_period: ReportingPeriod) -> dict[str, dict]:
    """Per indicator name: {(year, kind): text as the report prints it}."""
    return {
        row.name: {(entry.year, entry.kind): entry.text for entry in row.entries}
        for row in reported(in_period)
    }


def test_almelo_2018_has_three_goals_with_short_titles_and_6_2_6_results(almelo):
    jaarverantwoording = period("Hoofdopgave Zorg", "Jaarverantwoording 2018")
    goals = Goal.objects.filter(programme=jaarverantwoording.programme).order_by("number")
    assert [goal.short_title for goal in goals] == [
        "Multidisciplinair en integraal werken",
        "Meervoudige problematiek beheersbaar houden",
        "Via preventie voorkomen dat mensen gebruik maken van dure zorg",
    ]
    counts = [
        len(
            body.bullets(
                approved(
                    Text.objects.get(goal=goal, kind=TextKind.RESULTS), jaarverantwoording
                ).approved_body
            )
        )
        for goal in goals
    ]
    assert counts == [6, 2, 6]
    results = Text.objects.get(goal=goals[0], kind=TextKind.RESULTS)
    assert approved(results, jaarverantwoording).approved_heading == "Behaalde resultaten in 2018"
    wanted = Text.objects.get(
        programme=jaarverantwoording.programme, goal=None, kind=TextKind.WHAT_WE_WANTED
    )
    assert approved(wanted, jaarverantwoording).approved_body


def test_almelo_midterm_has_its_texts_projects_per_goal_and_no_indicators(almelo):
    midterm = period("Programma Zorg", "Midterm review 2020")
    assert midterm.is_closed
    kinds = set(
        TextVersion.objects.filter(period=midterm, state=UpdateState.APPROVED).values_list(
            "text__kind", flat=True
        )
    )
    assert kinds == {TextKind.AMBITION, TextKind.SUMMARY, TextKind.LOOKING_BACK, TextKind.FUTURE}
    ambition = TextVersion.objects.get(period=midterm, text__kind=TextKind.AMBITION)
    assert ambition.approved_body == (
        "Ervoor zorgen dat mensen en de stad het beste uit zichzelf kunnen halen."
    )
    per_goal = [
        ActionPoint.objects.filter(
            programme=almelo, goal__number=number, kind=ActionPointKind.PROJECT
        ).count()
        for number in (1, 2, 3, 4)
    ]
    assert per_goal == [5, 6, 10, 13]
    project = ActionPoint.objects.get(
        programme=almelo, title="Aanscherpen Verordening/beleid en PGB-tarieven"
    )
    assert sorted((m.plan.name, m.number) for m in project.measures.all()) == [
        ("Maatregelenplan 2", "1"),
        ("Maatregelenplan 2", "2"),
    ]
    # Ten projects carry the eleven measures the seed marks ("Doorontwikkeling toegang"
    # is marked but matches no row of the table).
    carrying = ActionPoint.objects.filter(programme=almelo, measures__isnull=False)
    assert carrying.distinct().count() == 10
    assert carrying.values("measures").distinct().count() == 11
    assert not Indicator.objects.filter(programme=almelo).exists()
    # The next period starts from the midterm review's texts (carry-over).
    autumn = period("Programma Zorg", "Najaarsrapportage 2020")
    carried = TextVersion.objects.get(period=autumn, text=ambition.text)
    assert carried.approved_body == ambition.approved_body


def test_venlo_has_six_achievements_eleven_sections_and_its_indicator(almelo):
    jaarverslag = period("Sociaal domein", "Jaarverslag 2017")
    achieved = TextVersion.objects.get(period=jaarverslag, text__kind=TextKind.WHAT_WE_ACHIEVED)
    assert len(body.bullets(achieved.approved_body)) == 6
    done = TextVersion.objects.filter(
        period=jaarverslag, text__kind=TextKind.WHAT_WE_DID, state=UpdateState.APPROVED
    )
    assert done.count() == 11 and all(version.approved_heading for version in done)
    name = "Klanttevredenheid ten aanzien van de maatwerkondersteuning"
    assert figures(jaarverslag)[name] == {
        (year, ValueKind.TARGET): "7,00" for year in (2017, 2018, 2019)
    }
    assert "7,4" in Indicator.objects.get(name=name).note


def test_enschede_has_two_lettered_goals_nine_themes_and_sixteen_indicators(almelo):
    jaarverslag = period("Maatschappelijke ondersteuning", "Jaarverslag 2018")
    programme = jaarverslag.programme
    assert list(Goal.objects.filter(programme=programme).values_list("code", flat=True)) == [
        "A",
        "B",
    ]
    themes = Theme.objects.filter(programme=programme)
    assert themes.count() == 9
    assert [t.goal.code for t in themes.order_by("sort_key")] == ["A"] * 3 + ["B"] * 6
    own = Indicator.objects.filter(programme=programme, national=None)
    assert own.count() == 9 and all(
        i.theme_id and i.margin_note or i.number in ("3", "5") for i in own
    )
    assert not own.filter(is_discontinued=True).exists()
    assert set(own.exclude(discontinued_note="").values_list("number", flat=True)) == {
        "1",
        "3",
        "7",
    }
    assert Indicator.objects.filter(programme=programme, national__isnull=False).count() == 7
    scores = {
        name: entries[(2018, ValueKind.ACTUAL)]
        for name, entries in figures(jaarverslag).items()
        if entries
    }
    assert scores == {
        "Niet-sporters": "47,7",
        "Jongeren met een delict voor de rechter": "1,17",
        "Kinderen in uitkeringsgezin": "11,58",
        "Jongeren met jeugdhulp": "9,2",
        "Jongeren met jeugdbescherming": "1,9",
        "Jongeren met jeugdreclassering": "0,8",
        "Cliënten met een maatwerkarrangement WMO": "730",
    }


def test_enschede_action_points_have_statuses_at_both_moments(almelo):
    midyear = period("Maatschappelijke ondersteuning", "Tussenrapportage 2018")
    year_end = period("Maatschappelijke ondersteuning", "Jaarverslag 2018")
    points = ActionPoint.objects.filter(programme=midyear.programme)
    numbers = list(points.order_by("sort_key").values_list("number", flat=True))
    sub_items = [number for number in numbers if not number.isdigit()]
    assert sub_items == ["5a", "5b", "11a", "11b", "11c", "20a", "20b"]
    assert [int(n) for n in numbers if n.isdigit()] == [*range(1, 29), 30]
    assert midyear.is_closed and not year_end.is_closed
    for moment in (midyear, year_end):
        statuses = ActionPointStatus.objects.filter(period=moment)
        assert statuses.count() == 36
        assert not statuses.filter(approved_status=None).exists()
    # Four eyes: the invoerder reported, the controller approved.
    reported_now = ActionPointStatus.objects.filter(period=year_end, state=UpdateState.APPROVED)
    assert {(s.submitted_by.username, s.approved_by.username) for s in reported_now} == {
        ("enschede-invoerder", "enschede-controller")
    }
    point_4 = ActionPointStatus.objects.get(period=year_end, action_point__number="4")
    assert point_4.approved_status.label == "Loopt achter, bijsturing heeft onvoldoende effect"
    assert "taakstelling" in point_4.approved_explanation
    same_ad = {
        s.approved_explanation
        for s in ActionPointStatus.objects.filter(
            period=year_end, action_point__number__in=["8", "10", "11a"]
        )
    }
    assert len(same_ad) == 1
    parties = TextVersion.objects.filter(period=year_end, text__kind=TextKind.ASSOCIATED_PARTIES)
    assert [v.text.theme.number for v in parties.order_by("text__order")] == ["1", "4", "9"]
    note = TextVersion.objects.get(period=year_end, text__kind=TextKind.OTHER)
    assert "gekozen" in note.approved_body


def test_hengelo_has_two_programme_lines_and_its_figures_per_budget(almelo):
    programme = period("Welzijn en Zorg", "Begroting 2018").programme
    assert list(Theme.objects.filter(programme=programme).values_list("title", "goal")) == [
        ("Thuis in de buurt", None),
        ("Maatwerk zorg", None),
    ]
    assert Indicator.objects.filter(programme=programme).count() == 3
    assert period("Welzijn en Zorg", "Begroting 2017").is_closed
    by_budget = {
        name: list(figures(period("Welzijn en Zorg", name)).values())
        for name in ("Begroting 2017", "Begroting 2018")
    }
    assert [list(entries.values()) for entries in by_budget["Begroting 2018"]] == [
        ["76%; 80%; 76%"],
        ["6.626"],
        ["4.301 (Wmo voorziening)"],
    ]
    assert [list(entries.values()) for entries in by_budget["Begroting 2017"]] == [
        ["76%; 80%; 76% (cijfers 2016)"],
        ["6.626 (2016)"],
        ["4.301 (Wmo voorziening)"],
    ]
    developments = TextVersion.objects.filter(
        period__name="Begroting 2018",
        text__kind=TextKind.DEVELOPMENTS,
        text__programme=programme,
        state=UpdateState.APPROVED,
    )
    assert developments.count() == 2


def test_closed_periods_keep_their_chapter(almelo):
    """Closing froze what the chapter says: its values cannot change any more."""
    value = IndicatorValue.objects.filter(period__name="Begroting 2017").first()
    value.value += 1
    with pytest.raises(PeriodClosedError):
        value.save()


def test_loading_twice_changes_nothing_in_the_chapters(almelo):
    models = (Text, TextVersion, Theme, ActionPoint, ActionPointStatus, Indicator, IndicatorValue)
    before = {model: model.objects.count() for model in models}
    histories = {model: model.history.count() for model in models}
    call_command("load_demo")
    assert {model: model.objects.count() for model in models} == before
    assert {model: model.history.count() for model in models} == histories
