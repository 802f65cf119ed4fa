"""The key figures above the overview add up to the saldo before the reader's eyes: on
course, the programme's savings task, every adjustment of the target year, saldo."""

import re

import pytest
from django.urls import reverse

from measures.models import Adjustment, ReportingPeriod
from measures.overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    OverviewInput,
    PlanData,
    RowKind,
    StatusData,
    compute_overview,
)
from measures.overview_data import overview_labels

YES = StatusData(1, "Ja", "smiley", "#1d6b2f", counts_as_on_course=True)


def test_balance_terms_add_up_to_the_balance_and_follow_the_rows():
    data = OverviewInput(
        years=[2021, 2022],
        target_year=2022,
        plans=[PlanData(1, "P", "", [MeasureData(1, "1", "A", {2022: Amount(5_832_000)}, YES)])],
        other_measures=[],
        savings_task={2022: 7_550_000},
        adjustments=[
            AdjustmentData("Extra middelen", 2022, 1_800_000),
            AdjustmentData("Vorig jaar", 2021, 999),
            AdjustmentData("Correctie", 2022, -50_000),
        ],
    )
    overview = compute_overview(data, labels=overview_labels())
    terms = overview.balance_terms
    assert [(term.kind, term.euros) for term in terms] == [
        (RowKind.ON_COURSE, 5_832_000),
        (RowKind.SAVINGS_TASK, -7_550_000),
        (RowKind.ADJUSTMENT, 1_800_000),
        (RowKind.ADJUSTMENT, -50_000),
    ]
    assert sum(term.euros for term in terms) == overview.balance == 32_000
    assert [term.label for term in terms[2:]] == ["Extra middelen", "Correctie"]


def cards(html: str) -> list[tuple[str, str]]:
    """(term, figure) of each key figure card, tags stripped."""
    section = html.split('class="key-figures"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section, flags=re.S)

    def text(fragment):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())

    return [(text(term), text(figure)) for term, figure in found]


@pytest.fixture
def midterm(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")


def test_cards_show_the_adjustments_so_that_they_add_up_to_the_saldo(midterm, manager_client):
    html = manager_client.get(reverse("overview"), {"periode": midterm.pk}).content.decode()
    assert cards(html)[:4] == [
        ("Op koers in 2022", "5.832 x € 1.000"),
        ("Taakstelling programma 2022", "-7.550 x € 1.000"),
        ("Inzet extra middelen jeugdhulp 2022", "1.800 x € 1.000"),
        ("Saldo 2022", "82 x € 1.000"),
    ]
    assert "5.832 − 7.550 + 1.800 = 82" in html


def test_cards_follow_a_second_adjustment(almelo, manager_client):
    period = ReportingPeriod.objects.get(programme=almelo, name="Najaarsrapportage 2020")
    Adjustment.objects.create(
        programme=almelo, label="Tegenvaller Wmo", year=2022, amount=-300_000, order=5
    )
    html = manager_client.get(reverse("overview"), {"periode": period.pk}).content.decode()
    terms = [term for term, _ in cards(html)]
    assert terms.index("Inzet extra middelen jeugdhulp 2022") < terms.index("Tegenvaller Wmo 2022")
    assert ("Tegenvaller Wmo 2022", "-300 x € 1.000") in cards(html)
    assert "+ 1.800 − 300 =" in html
