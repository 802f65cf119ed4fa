"""The money section of the PDF report: Enschede's Jaarverslag 2018 and Venlo's
Jaarverslag 2017 from the demo, produced by `manage.py report` and read back, carry every
figure of reference/budget_tables.json in Dutch format; only approved explanations go in;
a period without money has no section; building it takes the same queries for any
number of products.

The PDFs are read back with pypdf (tests/reports/pdfs.py), a Python dependency, as the
other report tests do: nothing is skipped for want of poppler's pdftotext.
"""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from budgets import services
from budgets.models import Product, StatementLayout, VarianceExplanation
from measures.models import ReportingPeriod
from organisations.scoping import unscoped
from reports.builder import build_report_data
from reports.models import ReportLayout
from tests.budgets.builders import make_money
from tests.reports.pdfs import (
    outline_titles,
    page_texts,
    pdf_through_job,
    squeezed,
    structure_elements,
)
from tests.reports.test_report_queries import (
    MONEY_WITHOUT_EXPLANATIONS,
    OPEN_PERIOD_WITHOUT_PREVIOUS,
)

REFERENCE = json.loads(
    (
        Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "budget_tables.json"
    ).read_text(encoding="utf-8")
)
# Marked for the database so that they run with the other database tests, on the demo,
# before the browser tests flush it (pytest-django runs unmarked tests last).
pytestmark = pytest.mark.django_db

ENSCHEDE = {
    "organisation": "Enschede",
    "programme": "Maatschappelijke ondersteuning",
    "period": "Jaarverslag 2018",
}
VENLO = {"organisation": "Venlo", "programme": "Sociaal domein", "period": "Jaarverslag 2017"}
ENSCHEDE_EXPLANATIONS = [
    "Centrumtaak WMO/Beschermd wonen",
    "Inkomensondersteuning",
    "Jeugdhulpzorg",
    "Lichte ondersteuning en regie",
    "WMO",
]


def thousands(value: int) -> str:
    """The Dutch way: 46237 -> "46.237", -20641 -> "-20.641"."""
    return f"{value:,}".replace(",", ".")


def produce(tmp_path_factory, django_db_blocker, place: dict) -> bytes:
    """The report as `manage.py report` writes it, from the session's demo data, in the
    sequence without a layout (the demo's layouts are removed for it, and kept)."""
    output = tmp_path_factory.mktemp("money") / "rapport.pdf"
    with django_db_blocker.unblock(), unscoped(), transaction.atomic():
        ReportLayout.objects.all().delete()
        call_command("report", output=str(output), **place)
        transaction.set_rollback(True)
    return output.read_bytes()


@pytest.fixture(scope="module")
def enschede_pdf(tmp_path_factory, django_db_setup, django_db_blocker):
    return produce(tmp_path_factory, django_db_blocker, ENSCHEDE)


@pytest.fixture(scope="module")
def venlo_pdf(tmp_path_factory, django_db_setup, django_db_blocker):
    return produce(tmp_path_factory, django_db_blocker, VENLO)


# Reading a PDF back takes seconds: each text once per module.
@pytest.fixture(scope="module")
def enschede_text(enschede_pdf):
    return money_text(enschede_pdf)


@pytest.fixture(scope="module")
def venlo_text(venlo_pdf):
    return money_text(venlo_pdf)


def money_text(pdf: bytes) -> str:
    """The money section as laid out, runs of spaces squeezed: from its heading on."""
    whole = "\n".join(squeezed(page) for page in page_texts(pdf))
    return whole[whole.rindex("\nFinanciën\n") :]


def plain_words(pdf: bytes) -> str:
    """The money section's words in reading order on one line, so that a label that
    wraps inside its cell reads whole."""
    whole = " ".join(" ".join(page.split()) for page in page_texts(pdf, layout=False))
    return whole[whole.rindex("Financiën Bedragen") :]


def test_enschede_statement_has_every_figure_of_the_seed(enschede_text):
    text = enschede_text
    for row in REFERENCE["enschede_2018_maatschappelijke_ondersteuning"]["rows"]:
        figures = " ".join(thousands(value) for value in row["values"])
        assert re.search(rf"^{re.escape(row['label'])} {re.escape(figures)}$", text, re.M), row
    assert "Wat heeft het gekost? Maatschappelijke ondersteuning (bedragen x € 1.000)" in text


def test_enschede_doelenboom_shows_the_nine_products_with_lasten_and_baten(enschede_text):
    text = enschede_text
    tree = text[text.index("Doelenboom: doelstellingen") : text.index("Wat heeft het gekost?")]
    rows = REFERENCE["enschede_2018_doelenboom_products"]["rows"]
    assert len(rows) == 9
    for row in rows:
        figures = thousands(row["lasten"])
        if row["baten"] is not None:
            figures += " " + thousands(row["baten"])
        assert re.search(rf"^{re.escape(row['product'])} {re.escape(figures)}$", tree, re.M), row
    # Themes carry their products' sums: 9.987 + 39.228.
    assert re.search(r"^4\. Jeugdhulp \(ondersteuning jeugd en gezin\) 49\.215 79$", tree, re.M)


def test_enschede_result_lists_the_five_approved_explanations(enschede_pdf, enschede_text):
    words = plain_words(enschede_pdf)
    for label in ENSCHEDE_EXPLANATIONS:
        assert label in words
    text = enschede_text
    assert "Het verschil op het resultaat van het programma: 5.492 voordeel (x € 1.000)." in text
    for amount in ("2.300 voordeel", "1.100 voordeel", "1.600 voordeel", "800 voordeel"):
        assert amount in text
    assert "-300 nadeel" in text
    assert "Elk product met een verschil van meer dan € 100.000 op zijn resultaat" in text


def test_venlo_sociale_wijkteams_table_has_the_seed_labels_and_figures(venlo_text):
    text = venlo_text
    table = text[text.index("Wat heeft het gekost? Sociale Wijkteams") :]
    table = table[: table.index("Totaal resultaat collegeproduct: Sociale Wijkteams")]
    for row in REFERENCE["venlo_2017_sociale_wijkteams"]["rows"]:
        figures = " ".join(
            [thousands(row["budget"]), thousands(row["actual"]), f"{row['pct']}%"]
            + [thousands(row["difference"])]
        )
        assert re.search(rf"^{re.escape(row['label'])} {re.escape(figures)}$", table, re.M), row
    assert re.search(
        r"^Totaal resultaat collegeproduct: Sociale Wijkteams -44\.058 -64\.837 147% -20\.780$",
        text,
        re.M,
    )
    for label in ("Onttrekkingen aan reserves (baten)", "Toevoegingen aan reserves (lasten)"):
        assert label in table


def test_venlo_products_within_the_programme_show_lasten_and_baten(venlo_text):
    text = venlo_text
    lasten = text[text.index("Lasten per product") : text.index("Baten per product")]
    baten = text[text.index("Baten per product") :]
    for row in REFERENCE["venlo_2017_products"]["rows"]:
        for part, (budget, actual) in ((lasten, row["lasten"]), (baten, row["baten"])):
            expected = rf"^{re.escape(row['product'])} {thousands(budget)} {thousands(actual)} "
            assert re.search(expected.replace(".", r"\."), part, re.M), row
    # The programme's own "Begroot vs Realisatie" comes first, lasten and baten.
    assert re.search(r"^Lasten 125\.666 148\.726 -23\.061 16%$", text, re.M)


def test_venlo_lists_its_three_approved_explanations(venlo_pdf):
    words = plain_words(venlo_pdf)
    for label, amount in (
        ("Sociale Wijkteams", "-20.780 nadeel"),
        ("Beschermd wonen", "-4.818 nadeel"),
        ("Sociale Basisondersteuning", "2.695 voordeel"),
    ):
        assert f"{label} {amount}" in words
    assert "meer dan 5% van de begrote lasten van het product en meer dan € 15.000" in words


@pytest.mark.parametrize(
    ("pdf_name", "titles"),
    [
        ("enschede_pdf", ["Financiën", "Doelenboom", "Wat heeft het gekost?"]),
        ("venlo_pdf", ["Begroot vs Realisatie", "Producten binnen het programma"]),
    ],
)
def test_money_headings_are_bookmarked_and_its_tables_tagged(pdf_name, titles, request):
    pdf = request.getfixturevalue(pdf_name)
    bookmarks = outline_titles(pdf)
    for title in [*titles, "Toelichting op het resultaat"]:
        assert title in bookmarks
    if pdf_name == "venlo_pdf":
        assert "Sociale Wijkteams" in bookmarks
    kinds = [element["/S"] for element in structure_elements(pdf)]
    assert "/TH" in kinds and "/Table" in kinds
    contents = squeezed(page_texts(pdf, layout=False)[1])
    assert re.search(r"Financiën ?\.+ ?\d+", contents)


def test_almelo_midterm_report_has_no_money_section(period, manager_client):
    data = build_report_data(period, built_at=timezone.now())
    assert data.money is None
    text = "\n".join(page_texts(pdf_through_job(manager_client, period)))
    assert "Financiën" not in text
    assert "Wat heeft het gekost?" not in text


def enschede_period():
    return ReportingPeriod.objects.select_related("programme__organisation").get(
        programme__name=ENSCHEDE["programme"], name=ENSCHEDE["period"]
    )


def test_only_approved_explanations_and_what_they_leave_unexplained(db):
    period = enschede_period()
    writer = get_user_model().objects.get(username="enschede-invoerder")
    income = VarianceExplanation.objects.get(period=period, label="Inkomensondersteuning")
    # An approved explanation changed again: the report keeps the approved words.
    services.save_explanation(
        period=period,
        user=writer,
        label="Inkomensondersteuning (nieuw concept)",
        amount=1_200_000,
        text="Nog niet goedgekeurd.",
        products=list(income.products.all()),
        explanation_id=income.pk,
        expected_version=income.version,
    )
    # A new explanation, never approved: not in the report.
    services.save_explanation(
        period=period,
        user=writer,
        label="Algemene voorzieningen",
        amount=-8_000,
        text="Concept.",
        products=[
            Product.objects.get(
                programme=period.programme, name="Algemene maatschappelijke voorziening"
            )
        ],
    )
    # An explanation that was never approved at all leaves its products unexplained.
    VarianceExplanation.objects.filter(period=period, label="Jeugdhulpzorg").update(
        approved_at=None, approved_label="", approved_amount=None, approved_text=""
    )
    money = build_report_data(period, built_at=timezone.now()).money
    assert [item.label for item in money.explanations] == [
        "Centrumtaak WMO/Beschermd wonen",
        "Inkomensondersteuning",
        "Lichte ondersteuning en regie",
        "WMO",
    ]
    assert money.explanations[1].amount == "1.100 voordeel"
    assert money.explanations[1].text.startswith("Minder aanvragen voor bijzondere bijstand")
    assert [(item.product, item.difference) for item in money.unexplained] == [
        ("Jeugdhulp gedwongen kader", "400 voordeel"),
        ("Jeugdhulp vrijwillig kader", "1.200 voordeel"),
    ]


@pytest.mark.parametrize("boxes", [False, True], ids=["doelenboom", "boxes"])
@pytest.mark.parametrize("products", [10, 500])
def test_report_with_money_takes_the_same_queries_for_any_number_of_products(
    products, boxes, db, django_assert_num_queries
):
    period = make_money(products=products, threshold_amount=10_000)
    StatementLayout.objects.filter(organisation=period.programme.organisation).update(
        show_product_boxes=boxes
    )
    made = list(Product.objects.filter(programme=period.programme).order_by("order")[:3])
    explanation = VarianceExplanation.objects.create(
        period=period,
        label="Drie producten",
        amount=-150_000,
        approved_label="Drie producten",
        approved_amount=-150_000,
        approved_at=timezone.now(),
    )
    explanation.products.set(made)
    period = ReportingPeriod.objects.select_related("programme__organisation").get(pk=period.pk)
    # The report of an open period without a previous one, with the money of one with
    # explanations: their products' prefetch (1), and for the doelenboom the programme's
    # goals and themes (2).
    expected = OPEN_PERIOD_WITHOUT_PREVIOUS + 1 + (0 if boxes else 2)
    with django_assert_num_queries(expected):
        money = build_report_data(period, built_at=timezone.now()).money
    assert MONEY_WITHOUT_EXPLANATIONS == 4
    assert len(money.unexplained) == products - 3
    assert money.explanations[0].amount == "-150 nadeel"
    if boxes:
        assert len(money.products_lasten) == len(money.product_statements) == products
    else:
        assert len([row for row in money.doelenboom if row.kind == "product"]) == products
