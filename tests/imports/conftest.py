"""An empty Programma Zorg (the seed's horizon, scale, task and adjustment, an open
period, no measures), the Almelo table as a controller would type it in Excel, and
helpers that build real XLSX and CSV files and upload them through the page."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import resolve, reverse
from openpyxl import Workbook

from jobs.models import Job, JobStatus
from jobs.testing import run_worker
from measures.models import (
    Adjustment,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    StatusScale,
)
from tests.conftest import almelo_organisation
from tests.reference import EXPECTED, REFERENCE

ALMELO_LEVELS = [
    ("Ja", "op koers", True),
    ("Nee", "niet op koers", False),
    ("-", "niet beoordeeld", False),
]


@pytest.fixture
def zorg(db):
    """A new Programma Zorg 2019-2022 with the seed's savings task and adjustment and no
    measures, next to the demo's (which the test database always holds)."""
    scale, _ = StatusScale.objects.get_or_create(
        organisation=almelo_organisation(), name="Almelo: Ja / Nee / -"
    )
    for order, (label, description, on_course) in enumerate(ALMELO_LEVELS, start=1):
        StatusLevel.objects.get_or_create(
            scale=scale,
            label=label,
            defaults={
                "description": description,
                "icon": "smiley" if on_course else "dash",
                "counts_as_on_course": on_course,
                "order": order,
            },
        )
    programme = Programme.objects.create(
        name="Programma Zorg (nieuw)",
        organisation=scale.organisation,
        first_year=2019,
        last_year=2022,
        target_year=2022,
        status_scale=scale,
    )
    for year, thousands in EXPECTED["savings_task"].items():
        SavingsTask.objects.create(programme=programme, year=int(year), amount=-thousands * 1000)
    for adjustment in EXPECTED["adjustments"]:
        Adjustment.objects.create(
            programme=programme,
            label=adjustment["label"],
            year=adjustment["year"],
            amount=adjustment["amount"] * 1000,
        )
    return programme


@pytest.fixture
def midterm(zorg):
    return ReportingPeriod.objects.create(
        programme=zorg,
        name="Midterm review 2020",
        kind="midterm_review",
        reference_date=date(2020, 7, 1),
    )


def dutch(value) -> str | int:
    """A figure in thousands typed the way a controller does: 2.251, 750, PM."""
    if value == "PM":
        return "PM"
    return f"{value:,}".replace(",", ".") if value >= 1000 else value


HEADER = [
    "Maatregelenplan",
    "Besluitnummer",
    "Volgnr",
    "Omschrijving",
    2019,
    2020,
    2021,
    2022,
    "Op koers",
]


def almelo_rows() -> list[list]:
    """The seed's table as a controller lays it out: a title, the unit in words, a blank
    line, the header, then a row per measure with Dutch numbers as text, PM and blanks."""
    rows = [
        ["Maatregelen Programma Zorg, Midterm Review 2020"],
        ["Bedragen x € 1.000"],
        [],
        HEADER,
    ]
    for plan in REFERENCE["plans"]:
        for measure in plan["measures"]:
            targets = measure["targets"]
            rows.append(
                [
                    plan["name"],
                    plan["decision"],
                    measure["number"],
                    measure["title"],
                    *(
                        dutch(targets[y]) if y in targets else None
                        for y in ("2019", "2020", "2021", "2022")
                    ),
                    measure.get("on_track"),
                ]
            )
    for measure in REFERENCE["other_measures"]:
        targets = measure["targets"]
        rows.append(
            [
                None,
                None,
                None,
                measure["title"],
                *(
                    dutch(targets[y]) if y in targets else None
                    for y in ("2019", "2020", "2021", "2022")
                ),
                measure["on_track"],
            ]
        )
    return rows


def xlsx(rows: list[list], *, title: str = "Blad1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, *, programme, period=None, name: str = "maatregelen.xlsx"):
    """Posts a file to the import page as the browser does, without following redirects."""
    file = io.BytesIO(content)
    file.name = name
    data = {"programme": programme.pk, "period": period.pk if period else "", "file": file}
    return client.post(reverse("imports:start"), data)


def digest_in(html: str) -> str:
    return re.search(r'name="digest" value="([0-9a-f]{64})"', html).group(1)


@dataclass
class Confirmed:
    """A confirmation as the controller sees it: the job, its progress page once the
    worker ran it, and the page it links to (the result, or the preview again)."""

    job: Job
    job_page: str
    result: object

    @property
    def page(self) -> str:
        return self.result.content.decode()


def confirm(client, preview_url: str, data: dict) -> Confirmed:
    """The confirming POST, which starts a job and answers with its progress page, and
    the task engine's worker running that job (jobs.testing.run_worker)."""
    response = client.post(preview_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail", response["Location"]
    run_worker()
    job = Job.objects.get(pk=match.kwargs["pk"])
    assert job.status == JobStatus.DONE, (job.status, job.message)
    job_page = client.get(response["Location"]).content.decode()
    return Confirmed(job, job_page, client.get(job.result_url))


def preview_and_confirm(client, content: bytes, **kwargs):
    """Upload, look at the preview, confirm: the whole path a controller takes."""
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:3000]
    preview_url = response["Location"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    return confirm(client, preview_url, {"digest": digest_in(preview.content.decode())}).result
