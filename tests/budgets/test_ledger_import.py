"""The import of the financial system's ledger export: preview writes nothing, confirm
writes everything with history or nothing at all, problems at their row and column in
Dutch, the organisation's ledger codes, closed periods and the variance threshold after
submission refused through the import, and Enschede's statement from imported euros."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from budgets import services
from budgets.data import load_money
from budgets.demo import ENSCHEDE_LAYOUT
from budgets.models import BudgetFigure, LedgerCode, Product, StatementLayout, TaskField
from imports.models import ImportKind, ImportRecord, ImportStatus
from measures.constants import Role
from measures.models import ReportingPeriod
from measures.money import to_thousands
from measures.services import close_period
from organisations.models import Organisation
from tests.budgets.builders import YEAR, make_money
from tests.budgets.reference import BUDGET_TABLES, EURO_AMOUNTS
from tests.conftest import make_user
from tests.factories import make_programme

HEADER = ["Code", "Categorie", "Kolom", "Jaar", "Bedrag", "Reserve"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    return ("\n".join(";".join(str(c) for c in row) for row in rows) + "\n").encode("utf-8")


def upload(client, period, content: bytes, name="grootboek.csv"):
    return client.post(
        reverse("budgets:ledger_import", args=[period.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def digest_of(client, location) -> str:
    page = client.get(location).content.decode()
    return re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)


def confirm(client, response):
    return client.post(response["Location"], {"digest": digest_of(client, response["Location"])})


def snapshot():
    return sorted(
        BudgetFigure.objects.values_list(
            "pk",
            "period_id",
            "product_id",
            "task_field_id",
            "year",
            "category",
            "column",
            "reserve",
            "amount",
        )
    )


def amount(period, product, category, column, **extra):
    return BudgetFigure.objects.get(
        period=period, product=product, year=YEAR, category=category, column=column, **extra
    ).amount


@pytest.fixture
def money(db):
    """Three products of a new Almelo programme; ledger code "4711" is Product 0."""
    period = make_money(products=3)
    products = list(Product.objects.filter(programme=period.programme).order_by("order"))
    LedgerCode.objects.create(
        organisation=period.programme.organisation, code="4711", product=products[0]
    )
    return period, products


def good_rows(amount_of=str):
    """One unchanged, one changed and two new amounts (a product by name with a reserve,
    a taakveld by its code), in the spellings of a ledger export."""
    return [
        HEADER,
        ["4711", "Lasten", "Begroting na wijziging", YEAR, amount_of(1_000_000), ""],
        ["4711", "lasten", "Rekening", YEAR, amount_of(1_060_000), ""],
        [
            "Product 1",
            "Storting reserve",
            "Begroting primair",
            YEAR,
            amount_of(25_000),
            "Egalisatie",
        ],
        ["6.71", "Baten", "realisatie", YEAR, amount_of(12_345), ""],
    ]


def test_csv_preview_writes_nothing_and_confirm_writes_all_with_history(
    controller_client, controller, money
):
    period, products = money
    before = snapshot()

    response = upload(
        controller_client,
        period,
        csv_bytes(good_rows(lambda euros: f"{euros:,}".replace(",", "."))),
    )

    assert response.status_code == 302
    assert snapshot() == before
    record = ImportRecord.objects.get(period=period, kind=ImportKind.BUDGET_FIGURES)
    assert record.status == ImportStatus.PREVIEW
    assert record.counts == {"rows": 4, "create": 2, "change": 1, "unchanged": 1, "problem": 0}
    page = controller_client.get(response["Location"]).content.decode()
    for action in ("Toevoegen", "Wijzigen", "Ongewijzigd"):
        assert action in page
    assert "€ 1.050.000" in page and "€ 1.060.000" in page
    assert snapshot() == before

    result = confirm(controller_client, response)

    assert result.status_code == 302
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert amount(period, products[0], "lasten", "realisatie") == 1_060_000
    assert amount(period, products[0], "lasten", "na_wijziging") == 1_000_000
    assert amount(period, products[1], "storting", "primair", reserve="Egalisatie") == 25_000
    task_field = BudgetFigure.objects.get(period=period, task_field__code="6.71")
    assert (task_field.product, task_field.category, task_field.column, task_field.amount) == (
        None,
        "baten",
        "realisatie",
        12_345,
    )
    written = BudgetFigure.objects.filter(period=period, updated_by=controller)
    assert written.count() == 3
    for figure in written:
        assert figure.history.latest().history_user == controller
    assert "Import uitgevoerd" in controller_client.get(result["Location"]).content.decode()


def test_xlsx_with_number_cells(controller_client, money):
    period, products = money

    response = upload(controller_client, period, xlsx(good_rows(int)), "grootboek.xlsx")
    confirm(controller_client, response)

    assert amount(period, products[0], "lasten", "realisatie") == 1_060_000
    assert BudgetFigure.objects.get(period=period, task_field__code="6.71").amount == 12_345


def test_one_bad_row_writes_nothing_and_names_its_row(controller_client, money):
    period, _products = money
    rows = good_rows()
    rows[3][4] = "25.000,50"  # line 4: not whole euros
    rows[2][2] = "Begroot"  # line 3: no column
    before = snapshot()

    response = upload(controller_client, period, csv_bytes(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Regel 3, kolom C (Kolom)" in page
    assert "Vul begroting primair, begroting na wijziging, prognose of realisatie in." in page
    assert "Regel 4, kolom E (Bedrag)" in page
    assert snapshot() == before
    record = ImportRecord.objects.get(period=period)
    assert record.status == ImportStatus.REFUSED
    assert record.content is None


def test_pm_and_duplicates_are_refused(controller_client, money):
    period, _products = money
    rows = good_rows()
    rows[1][4] = "PM"
    rows.append(["Product 0", "lasten", "rekening", YEAR, "1"])  # the same as line 3

    page = upload(controller_client, period, csv_bytes(rows)).content.decode()

    assert "PM is hier niet mogelijk" in page
    assert "Dit bedrag staat ook al in regel 3" in page
    assert not ImportRecord.objects.get(period=period).content


def test_unknown_code_is_refused(controller_client, money):
    period, _products = money
    rows = [HEADER, ["9999", "lasten", "realisatie", YEAR, "10"]]

    page = upload(controller_client, period, csv_bytes(rows)).content.decode()

    assert "Onbekende code &#x27;9999&#x27;" in page
    assert "Regel 2, kolom A (Code)" in page


def test_another_organisations_codes_are_not_usable(controller_client, money):
    period, _products = money
    venlo = Organisation.all_organisations.get(cbs_code="0983")
    other = make_money(products=1, organisation=venlo, name="Programma Venlo")
    LedgerCode.objects.create(
        organisation=venlo, code="VL-1", product=Product.objects.get(programme=other.programme)
    )
    before = snapshot()

    page = upload(
        controller_client, period, csv_bytes([HEADER, ["VL-1", "lasten", "realisatie", YEAR, "10"]])
    ).content.decode()

    assert "Onbekende code &#x27;VL-1&#x27;" in page
    assert snapshot() == before
    # Nor Venlo's periods, records or codes through the pages.
    assert upload(controller_client, other, csv_bytes(good_rows())).status_code == 404
    code = LedgerCode.objects.get(code="VL-1")
    assert (
        controller_client.get(reverse("budgets:ledger_code_edit", args=[code.pk])).status_code
        == 404
    )


def test_a_closed_period_is_refused_at_preview_and_confirm(controller_client, controller, money):
    period, _products = money
    response = upload(controller_client, period, csv_bytes(good_rows()))
    digest = digest_of(controller_client, response["Location"])
    close_period(period=period, user=controller)
    before = snapshot()

    result = controller_client.post(response["Location"], {"digest": digest})

    assert snapshot() == before
    record = ImportRecord.objects.get(period=period)
    assert record.status == ImportStatus.REFUSED
    assert "is afgesloten" in controller_client.get(result["Location"]).content.decode()
    again = upload(controller_client, period, csv_bytes(good_rows()))
    assert again.status_code == 200
    assert "is afgesloten" in again.content.decode()
    assert snapshot() == before


def test_unexplained_variance_after_submission_is_refused_through_the_import(
    controller_client, controller, money
):
    """The products are 50.000 over budget, under the € 100.000 threshold; the
    explanations are submitted. A realisation that moves Product 1 to 190.000 over
    leaves it unexplained: refused, nothing written, the reason on the record page."""
    period, products = money
    services.save_explanation(
        period=period,
        user=controller,
        label="Product 0",
        amount=-50_000,
        text="Meer cliënten.",
        products=[products[0]],
    )
    services.submit_explanations(period=period, user=controller)
    rows = [
        HEADER,
        ["Product 1", "lasten", "realisatie", YEAR, "1.200.000"],
        ["Product 2", "lasten", "realisatie", YEAR, "1.070.000"],
    ]
    response = upload(controller_client, period, csv_bytes(rows))
    assert "zijn al ingediend" in controller_client.get(response["Location"]).content.decode()
    before, history = snapshot(), BudgetFigure.history.count()

    result = confirm(controller_client, response)

    assert snapshot() == before
    assert BudgetFigure.history.count() == history
    record = ImportRecord.objects.get(period=period)
    assert record.status == ImportStatus.REFUSED
    page = controller_client.get(result["Location"]).content.decode()
    assert "Import niet uitgevoerd" in page
    assert "Product 1 wijkt € -190.000 af van de begroting" in page
    assert "Product 2" not in page

    # Within the threshold the same path writes.
    rows[1][4] = "1.100.000"
    confirm(controller_client, upload(controller_client, period, csv_bytes(rows)))
    assert amount(period, products[1], "lasten", "realisatie") == 1_100_000


def test_a_change_between_preview_and_confirm_asks_again(controller_client, controller, money):
    period, products = money
    response = upload(controller_client, period, csv_bytes(good_rows()))
    digest = digest_of(controller_client, response["Location"])
    services.save_figures(
        period=period,
        user=controller,
        rows=[
            services.FigureRow(
                product=products[0],
                year=YEAR,
                category="lasten",
                column="realisatie",
                amount=1_055_000,
            )
        ],
    )

    page = controller_client.post(response["Location"], {"digest": digest})

    assert page.status_code == 200
    assert "Er is intussen iets veranderd" in page.content.decode()
    assert amount(period, products[0], "lasten", "realisatie") == 1_055_000


def test_only_controllers_import(client, money):
    period, _products = money
    invoerder = make_user("ina", Role.INVOERDER)
    client.force_login(invoerder)

    assert upload(client, period, csv_bytes(good_rows())).status_code == 403
    assert not ImportRecord.objects.filter(period=period).exists()


def test_template_has_the_headers(controller_client, money):
    period, _products = money

    response = controller_client.get(reverse("budgets:ledger_template", args=[period.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A2"].value == "Product 0"


def test_ledger_codes_page_adds_changes_and_deletes(controller_client, controller, money):
    period, products = money
    url = reverse("budgets:ledger_codes")
    organisation = period.programme.organisation

    assert "4711" in controller_client.get(url).content.decode()
    neither = controller_client.post(url, {"code": "5000"})
    assert "Koppel de code aan een product óf aan een taakveld." in neither.content.decode()
    taken = controller_client.post(url, {"code": "4711", "product": products[1].pk})
    assert "Deze grootboekcode is al gekoppeld." in taken.content.decode()
    assert LedgerCode.objects.filter(organisation=organisation).count() == 1

    added = controller_client.post(
        url, {"code": " 5000 ", "task_field": TaskField.objects.get(code="6.2").pk}
    )
    assert added.status_code == 302
    code = LedgerCode.objects.get(organisation=organisation, code="5000")
    assert code.task_field.code == "6.2"
    assert code.history.latest().history_user == controller

    edit = reverse("budgets:ledger_code_edit", args=[code.pk])
    controller_client.post(edit, {"code": "5000", "product": products[2].pk})
    code.refresh_from_db()
    assert (code.product, code.task_field) == (products[2], None)

    controller_client.post(reverse("budgets:ledger_code_delete", args=[code.pk]))
    assert not LedgerCode.objects.filter(pk=code.pk).exists()


def test_a_product_of_another_organisation_cannot_be_mapped(controller_client, money):
    period, _products = money
    venlo = Organisation.all_organisations.get(cbs_code="0983")
    other = make_money(products=1, organisation=venlo, name="Programma Venlo")
    foreign = Product.objects.get(programme=other.programme)

    response = controller_client.post(
        reverse("budgets:ledger_codes"), {"code": "X1", "product": foreign.pk}
    )

    assert "Kies een product van uw organisatie." in response.content.decode()
    assert not LedgerCode.objects.filter(code="X1").exists()


def test_enschede_statement_from_imported_euros(db, client):
    """Enschede's "Wat heeft het gekost?" from a ledger export of the seed's euros."""
    organisation = Organisation.all_organisations.get(cbs_code="0153")
    controller = make_user("els", Role.CONTROLLER, organisation=organisation)
    client.force_login(controller)
    programme = make_programme(0, name="MO (grootboek)", organisation=organisation).programme
    period = ReportingPeriod.objects.create(
        programme=programme,
        name="Jaarverslag 2018 (grootboek)",
        kind="jaarverantwoording",
        reference_date=date(2018, 12, 31),
    )
    StatementLayout.objects.update_or_create(organisation=organisation, defaults=ENSCHEDE_LAYOUT)
    Product.objects.create(programme=programme, name="Maatschappelijke ondersteuning")
    LedgerCode.objects.create(
        organisation=organisation,
        code="6000",
        product=Product.objects.get(programme=programme),
    )
    euros = EURO_AMOUNTS["enschede_2018_maatschappelijke_ondersteuning"]
    categories = {
        "lasten": "Lasten",
        "baten": "Baten",
        "storting_reserves": "Storting reserve",
        "onttrekking_reserves": "Onttrekking reserves",
    }
    columns = {
        "primair": "Begroting primair",
        "na_wijziging": "Begroting na wijziging",
        "realisatie": "Rekening",
    }
    rows = [HEADER] + [
        ["6000", categories[category], columns[column], 2018, figure]
        for category, by_column in euros.items()
        for column, figure in by_column.items()
    ]

    response = upload(client, period, xlsx(rows), "enschede.xlsx")
    confirm(client, response)

    table = load_money(period).table()
    reference = BUDGET_TABLES["enschede_2018_maatschappelijke_ondersteuning"]
    assert [label for _code, label in table.columns] == reference["columns"]
    assert [
        [line.label, *(to_thousands(cell.euros) for cell in line.cells)] for line in table.lines
    ] == [[row["label"], *row["values"]] for row in reference["rows"]]


def test_a_code_of_a_product_of_another_programme_is_refused(controller_client, money):
    period, _products = money
    other = make_money(products=1, name="Programma Elders")
    LedgerCode.objects.create(
        organisation=period.programme.organisation,
        code="4800",
        product=Product.objects.get(programme=other.programme),
    )
    before = snapshot()

    page = upload(
        controller_client, period, csv_bytes([HEADER, ["4800", "baten", "prognose", YEAR, "10"]])
    ).content.decode()

    assert "is gekoppeld aan product Product 0 van een ander programma" in page
    assert snapshot() == before


def test_demo_enschede_refuses_an_unexplained_realisation(db, client):
    """The demo's Jaarverslag 2018 of Enschede has its explanations approved; the
    Algemene maatschappelijke voorziening is explained by none of them. A realisation
    that moves its difference past the fixed € 100.000 is refused through the import."""
    client.force_login(get_user_model().objects.get(username="enschede-controller"))
    period = ReportingPeriod.objects.get(
        name="Jaarverslag 2018", programme__organisation__cbs_code="0153"
    )
    name = "Algemene maatschappelijke voorziening"
    product = Product.objects.get(programme=period.programme, name=name)
    rows = [HEADER, [name, "lasten", "realisatie", 2018, "27.600.000"]]
    before = snapshot()

    response = upload(client, period, csv_bytes(rows))
    result = confirm(client, response)

    assert snapshot() == before
    page = client.get(result["Location"]).content.decode()
    assert f"{name} wijkt € -142.000 af van de begroting" in page
    assert (
        BudgetFigure.objects.get(
            period=period, product=product, category="lasten", column="realisatie"
        ).amount
        == 27_466_500
    )
