"""Small generated programmes for tests that need more than the demo data."""

from datetime import date

from measures.models import (
    Adjustment,
    Assessment,
    Measure,
    MeasurePlan,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    StatusScale,
    YearTarget,
    natural_sort_key,
)
from organisations.models import Organisation


def make_programme(
    measure_count: int,
    *,
    name: str = "Programma Test",
    plans: int = 3,
    owner=None,
    organisation=None,
):
    """A programme 2021-2026 with `measure_count` measures over `plans` plans and one period,
    of `organisation` (the first one, Almelo in the demo, unless said otherwise)."""
    organisation = organisation or Organisation.all_organisations.order_by("pk").first()
    scale = StatusScale.objects.create(organisation=organisation, name=f"Schaal {name}")
    on_course = StatusLevel.objects.create(
        scale=scale, label="Ja", icon="smiley", counts_as_on_course=True, order=1
    )
    off_course = StatusLevel.objects.create(scale=scale, label="Nee", icon="frown", order=2)
    programme = Programme.objects.create(
        name=name,
        organisation=organisation,
        first_year=2021,
        last_year=2026,
        target_year=2026,
        status_scale=scale,
    )
    plan_objects = [
        MeasurePlan.objects.create(
            programme=programme, name=f"Plan {i}", first_year=2021, last_year=2026, order=i
        )
        for i in range(1, plans + 1)
    ]
    period = ReportingPeriod.objects.create(
        programme=programme,
        name="Tussenrapportage",
        kind="tussenrapportage",
        reference_date=date(2024, 7, 1),
    )
    measures = Measure.objects.bulk_create(
        Measure(
            programme=programme,
            plan=plan_objects[i % plans],
            number=str(i // plans + 1),
            sort_key=natural_sort_key(str(i // plans + 1)),
            title=f"Maatregel {i}",
            domain="jeugd" if i % 2 else "wmo",
            owner=owner,
        )
        for i in range(measure_count)
    )
    YearTarget.objects.bulk_create(
        YearTarget(
            measure=measure,
            year=year,
            amount=None if (i + year) % 7 == 0 else 1_000 * (i + 1),
            is_pm=(i + year) % 7 == 0,
        )
        for i, measure in enumerate(measures)
        for year in range(2021, 2027)
    )
    Assessment.objects.bulk_create(
        Assessment(measure=measure, period=period, status=on_course if i % 3 else off_course)
        for i, measure in enumerate(measures)
    )
    SavingsTask.objects.bulk_create(
        SavingsTask(programme=programme, year=year, amount=1_000_000 * (year - 2020))
        for year in range(2021, 2027)
    )
    Adjustment.objects.create(
        programme=programme, label="Extra middelen", year=2026, amount=250_000
    )
    return period
