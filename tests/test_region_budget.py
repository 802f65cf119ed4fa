"""The region page's budget result per member: the difference on the "Resultaat" of the
latest period with budget figures among the programmes the member shares, as the
member's own statement computes it (voordeel positive, thousands); nothing of a programme
it does not share; a fixed number of queries, however many members have figures."""

from datetime import date

from django.urls import reverse

from budgets.data import load_money
from budgets.models import BudgetFigure, Product, TaskField
from measures.constants import Role
from measures.models import Programme, ReportingPeriod
from organisations.region import Outcome
from organisations.region_data import load_region
from tests.conftest import make_user
from tests.factories import make_programme
from tests.test_region import REGION_PAGE, count_queries, org, twente  # noqa: F401

# The budget results' queries when a member has figures: the periods with figures, the
# figures of each member's latest, the members' statement layouts (organisations.region_data).
BUDGET_QUERIES = 3


def latest_period(programme: Programme) -> ReportingPeriod:
    return ReportingPeriod.objects.filter(programme=programme).latest("reference_date", "pk")


def add_money(period: ReportingPeriod, products: int, *, overrun: int) -> None:
    """`products` products in the period's programme, each with lasten of 1.000.000
    budgeted and `overrun` more realised, and baten of 100.000 budgeted and realised."""
    task_field = TaskField.objects.get(code="6.6")
    made = Product.objects.bulk_create(
        Product(
            programme=period.programme,
            name=f"Product {period.pk}-{i}",
            order=i,
            task_field=task_field,
        )
        for i in range(products)
    )
    BudgetFigure.objects.bulk_create(
        BudgetFigure(
            period=period,
            product=product,
            year=period.reference_date.year,
            category=category,
            column=column,
            amount=amount,
        )
        for product in made
        for category, column, amount in (
            ("lasten", "na_wijziging", 1_000_000),
            ("lasten", "realisatie", 1_000_000 + overrun),
            ("baten", "na_wijziging", 100_000),
            ("baten", "realisatie", 100_000),
        )
    )


def shared(member: str, name: str) -> Programme:
    return Programme.objects.get(organisation=org(member), name=name)


def test_each_member_shows_the_result_of_its_own_statement(twente, client):  # noqa: F811
    enschede = latest_period(shared("Enschede", "Maatschappelijke ondersteuning"))
    add_money(enschede, 3, overrun=50_000)
    hengelo = latest_period(shared("Hengelo", "Welzijn en Zorg"))
    add_money(hengelo, 2, overrun=-120_400)
    members = {member.name: member for member in load_region(twente).members}
    result = members["Enschede"].budget
    own = load_money(ReportingPeriod.objects.select_related("programme").get(pk=enschede.pk))
    own_result = own.table().line("resultaat")
    assert result.difference == own_result.euros("verschil", own.table().columns) == -150_000
    assert result.outcome == Outcome.UNFAVOURABLE
    assert (result.programme, result.period) == ("Maatschappelijke ondersteuning", enschede.name)
    assert members["Hengelo"].budget.difference == 240_800
    assert members["Almelo"].budget is None and members["Borne"].budget is None

    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    content = client.get(reverse("regions:detail", args=[twente.pk])).content.decode()
    section = content[content.index('id="begroting-titel"') :]
    assert "Nog niet beschikbaar" not in content
    assert '<th scope="row">Enschede</th>' in section
    assert '<td class="amount region-table__balance">-150</td>' in section
    assert '<td class="amount region-table__balance">241</td>' in section
    assert "nadeel" in section and "voordeel" in section


def test_the_latest_shared_period_with_figures_counts_and_nothing_unshared(twente):  # noqa: F811
    programme = shared("Enschede", "Maatschappelijke ondersteuning")
    earlier = latest_period(programme)
    add_money(earlier, 1, overrun=200_000)
    # A later period without figures leaves the result of the one with figures.
    ReportingPeriod.objects.create(
        programme=programme,
        name="Najaarsrapportage 2024",
        kind="najaarsrapportage",
        reference_date=date(2024, 10, 1),
    )
    # A later period with figures of a programme not shared is not read.
    secret = Programme.objects.get(organisation=org("Enschede"), name="Geheim programma")
    hidden = ReportingPeriod.objects.create(
        programme=secret,
        name="Jaarverslag 2024",
        kind="jaarverslag",
        reference_date=date(2024, 12, 31),
    )
    add_money(hidden, 1, overrun=-900_000)
    budget = {m.name: m.budget for m in load_region(twente).members}["Enschede"]
    assert (budget.period, budget.difference) == (earlier.name, -200_000)


def test_no_member_with_figures_says_so(twente, client):  # noqa: F811
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    content = client.get(reverse("regions:detail", args=[twente.pk])).content.decode()
    assert "Geen gemeente deelt een programma met begrotingscijfers met deze regio." in content


def test_budget_results_take_the_same_queries_for_any_number_of_members(twente, client):  # noqa: F811
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    # Without figures only the periods with figures are looked for.
    assert count_queries(client, twente) == REGION_PAGE
    add_money(latest_period(shared("Enschede", "Maatschappelijke ondersteuning")), 2, overrun=1)
    assert count_queries(client, twente) == REGION_PAGE - 1 + BUDGET_QUERIES
    # Three members with figures, of many more products: not one query more.
    add_money(latest_period(shared("Hengelo", "Welzijn en Zorg")), 200, overrun=1)
    add_money(latest_period(shared("Almelo", "Programma Zorg")), 200, overrun=1)
    assert count_queries(client, twente) == REGION_PAGE - 1 + BUDGET_QUERIES
    assert len(load_region(twente).budget_members) == 3


def test_a_programme_shared_later_with_figures_of_a_member_without_any(twente):  # noqa: F811
    """Borne shares nothing: sharing a programme with figures puts it in the table."""
    borne = org("Borne")
    period = make_programme(2, name="Zorg Borne", organisation=borne)
    period.programme.shared_with_regions.add(twente)
    add_money(period, 1, overrun=-10_000)
    budget = {m.name: m.budget for m in load_region(twente).members}["Borne"]
    assert budget.difference == 10_000 and budget.outcome == Outcome.FAVOURABLE
