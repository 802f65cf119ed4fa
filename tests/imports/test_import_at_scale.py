"""Confirming an import costs a fixed number of queries, however many measures the file
holds, and keeps the history of every measure, target and status it writes, in the
importing controller's name (issue 12 item 3)."""

import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.models import ImportRecord, ImportStatus
from jobs.testing import run_worker
from measures.models import Assessment, Measure, MeasureUpdate, TargetRevision, YearTarget
from tests.imports.conftest import digest_in, upload, xlsx

HEADER = ["Maatregelenplan", "Besluitnummer", "Volgnr", "Titel", 2019, 2020, 2021, 2022]
HEADER += ["Op koers", "Toelichting"]


def rows(count: int, *, revised: bool = False) -> list[list]:
    """`count` measures in two plans, every fifth a heading with two sub-measures (which
    carry the amounts), each with targets, a status and an explanation. `revised`: the
    same measures with another title, status and explanation and their 2022 raised."""
    sheet = [["Eenheid bedragen", "euro"], [], HEADER]
    number, made = 0, 0
    while made < count:
        number += 1
        plan = f"Maatregelenplan {number % 2 + 1}"
        decision = f"BW-{number % 2 + 1}"
        heading = number % 5 == 0 and count - made >= 3
        numbers = [str(number)] + ([f"{number}.1", f"{number}.2"] if heading else [])
        for item in numbers:
            is_heading = heading and item == str(number)
            title = f"Maatregel {item}" + (" (herzien)" if revised else "")
            amounts = [None] * 4 if is_heading else [1000 * number, 2000, "PM", 5000 * number]
            if revised and not is_heading:
                amounts[3] += 1000
            status = None if is_heading else ("Nee" if revised else "Ja")
            explanation = None if is_heading else ("Bijgesteld." if revised else "Op schema.")
            sheet.append([plan, decision, item, title, *amounts, status, explanation])
            made += 1
    return sheet


def confirm_counted(client, content: bytes, *, programme, period, data=None):
    """Upload and preview, then the confirmation alone: the POST that starts the job and
    the worker that runs it, with their queries."""
    response = upload(client, content, programme=programme, period=period)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        confirmed = client.post(preview_url, {"digest": digest_in(preview), **(data or {})})
        assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
        assert run_worker() == 1
    assert ImportRecord.objects.latest("pk").status == ImportStatus.APPLIED
    # Now: the next request empties the connection's log that `queries` reads from.
    return list(queries)


def statements(queries) -> list[str]:
    """The queries without their values, a batch counted once: SQLite takes at most 999 values per
    statement, so Django splits an INSERT, or bulk_update's UPDATE … CASE, of many rows
    into consecutive statements that differ only in their rows (PostgreSQL takes each in
    one)."""
    kept = []
    for query in queries:
        sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', query["sql"])
        for end in (" VALUES ", " WHEN "):
            if end in sql:
                sql = sql[: sql.index(end)]
        # The same statement with other keys and values, or more of them in an IN (…).
        sql = re.sub(r"\?(, \?)+", "?", re.sub(r"'[^']*'|\b\d+\b", "?", sql))
        if not kept or kept[-1] != sql:
            kept.append(sql)
    return kept


def second_programme(zorg, midterm):
    programme = type(zorg).objects.get(pk=zorg.pk)
    programme.pk, programme.name = None, "Programma Zorg (groot)"
    programme.save()
    period = type(midterm).objects.create(
        programme=programme, name="Midterm", kind="midterm_review", reference_date=date(2020, 7, 1)
    )
    return programme, period


def test_confirming_500_measures_costs_as_many_queries_as_50(zorg, midterm, controller_client):
    small = confirm_counted(controller_client, xlsx(rows(50)), programme=zorg, period=midterm)
    programme, period = second_programme(zorg, midterm)
    big = confirm_counted(controller_client, xlsx(rows(500)), programme=programme, period=period)

    assert Measure.objects.filter(programme=zorg).count() == 50
    assert Measure.objects.filter(programme=programme).count() == 500
    assert len(big) <= 200
    assert statements(big) == statements(small)
    if connection.vendor == "postgresql":
        assert len(big) == len(small)


DECISION = {"decision_reference": "RB-2020-12", "decided_on": "2020-06-30"}


def test_changing_500_measures_costs_as_many_queries_as_50(zorg, midterm, controller_client):
    big_programme, big_period = second_programme(zorg, midterm)
    counts = []
    for programme, period, count in ((zorg, midterm, 50), (big_programme, big_period, 500)):
        confirm_counted(controller_client, xlsx(rows(count)), programme=programme, period=period)
        counts.append(
            confirm_counted(
                controller_client,
                xlsx(rows(count, revised=True)),
                programme=programme,
                period=period,
                data=DECISION,
            )
        )
    small, big = counts
    revisions = TargetRevision.objects.filter(year_target__measure__programme=big_programme)
    # Each measure with amounts (not a heading) had its 2022 raised.
    with_amounts = Measure.objects.filter(programme=big_programme, children__isnull=True)
    assert revisions.count() == with_amounts.count() > 400
    assert len(big) <= 200
    assert statements(big) == statements(small)
    if connection.vendor == "postgresql":
        assert len(big) == len(small)


def test_every_row_an_import_writes_has_its_history_in_the_importers_name(
    zorg, midterm, controller, controller_client
):
    confirm_counted(controller_client, xlsx(rows(20)), programme=zorg, period=midterm)
    measures = Measure.objects.filter(programme=zorg)
    targets = YearTarget.objects.filter(measure__programme=zorg)
    assessments = Assessment.objects.filter(period=midterm)
    updates = MeasureUpdate.objects.filter(period=midterm)
    created = {
        "measures": (Measure, measures),
        "targets": (YearTarget, targets),
        "assessments": (Assessment, assessments),
        "updates": (MeasureUpdate, updates),
    }
    for name, (model, rows_written) in created.items():
        ids = set(rows_written.values_list("pk", flat=True))
        assert ids, name
        history = model.history.filter(id__in=ids, history_type="+")
        assert set(history.values_list("id", flat=True)) == ids, name
        assert set(history.values_list("history_user", flat=True)) == {controller.pk}, name

    confirm_counted(
        controller_client,
        xlsx(rows(20, revised=True)),
        programme=zorg,
        period=midterm,
        data=DECISION,
    )
    record = ImportRecord.objects.filter(programme=zorg).latest("pk")
    assert record.status == ImportStatus.APPLIED
    assert record.counts["changed"] == 20
    changed = {
        "measures": (Measure, measures, {"title"}),
        "targets": (YearTarget, targets.filter(year=2022), {"amount"}),
        "assessments": (Assessment, assessments, {"explanation"}),
        "updates": (MeasureUpdate, updates, {"explanation"}),
    }
    for name, (model, rows_written, _fields) in changed.items():
        for row in rows_written:
            last = model.history.filter(id=row.pk).latest("history_date")
            assert last.history_type == "~", name
            assert last.history_user_id == controller.pk, name
            # The history holds what the row became.
            assert {f: getattr(last, f) for f in _fields} == {f: getattr(row, f) for f in _fields}
    for target in targets.filter(year=2022):
        last = target.history.latest("history_date")
        assert last.history_change_reason.startswith("RB-2020-12: ")
        assert target.amount == target.revisions.get().previous_amount + 1000
    assert {a.status.label for a in assessments.select_related("status")} == {"Nee"}
