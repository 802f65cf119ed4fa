"""The public pages (no login): an organisation's published reports, each with its web
version, its PDF as published and the data behind its tables, and the comparison of
two published reports of a programme.

Every view finds the organisation in its address and reads through reports.public only,
inside that organisation's scope: an unknown or inactive organisation, a report of
another organisation and a report that is not published all answer 404.
"""

from csp.decorators import csp
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from . import open_data
from .comparison import compare_periods
from .documents import moment_text
from .public import public_programme, public_scope, published_report, published_reports
from .services import filename
from .views import WEB_VERSION_CSP

# Published files never change; a cache may keep them for a day.
A_DAY = 24 * 60 * 60


def _published_response(response: HttpResponse, report) -> HttpResponse:
    response["ETag"] = f'"{report.checksum}"'
    patch_cache_control(response, public=True, max_age=A_DAY)
    return response


@login_not_required
@require_GET
def report_list(request, organisation: str):
    with public_scope(organisation) as found:
        reports = list(published_reports(found))
        programmes: dict = {}
        for report in reports:
            programmes.setdefault(report.period.programme, []).append(report)
        return render(
            request,
            "public/report_list.html",
            {
                "public_organisation": found,
                "programmes": [
                    {"programme": programme, "reports": items}
                    for programme, items in programmes.items()
                ],
            },
        )


@login_not_required
@require_GET
def report_page(request, organisation: str, pk: int):
    with public_scope(organisation) as found:
        report = published_report(found, pk, fields=("tables",))
        tables = open_data.published_tables(report)
        period = report.period
        others = [
            other
            for other in published_reports(found).filter(period__programme=period.programme)
            if other.pk != report.pk
        ]
        return render(
            request,
            "public/report_page.html",
            {
                "public_organisation": found,
                "report": report,
                "period": period,
                "programme": period.programme,
                "published_on": moment_text(report.built_at),
                "tables": tables,
                "others": others,
            },
        )


def _report_etag(request, organisation: str, pk: int, **kwargs) -> str | None:
    """The checksum of the published PDF, so that a client holding it gets a 304."""
    with public_scope(organisation) as found:
        return published_report(found, pk).checksum


@login_not_required
@require_GET
@condition(etag_func=_report_etag)
def report_pdf(request, organisation: str, pk: int):
    """The PDF byte for byte as published; its ETag is its SHA-256 checksum."""
    with public_scope(organisation) as found:
        report = published_report(found, pk, fields=("pdf",))
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, filename(report.period, "pdf")
        )
        return _published_response(response, report)


@csp(WEB_VERSION_CSP)
@login_not_required
@require_GET
def report_web(request, organisation: str, pk: int):
    """The web version as published: one self-contained, accessible HTML document."""
    with public_scope(organisation) as found:
        report = published_report(found, pk, fields=("html",))
        response = HttpResponse(report.html, content_type="text/html; charset=utf-8")
        return _published_response(response, report)


@login_not_required
@require_GET
def table_data(request, organisation: str, pk: int, table: str, extension: str):
    """One table of the report as CSV or JSON, in whole euros (reports.open_data)."""
    with public_scope(organisation) as found:
        report = published_report(found, pk, fields=("tables",))
        data = open_data.find_table(report, table)
        if data is None:
            raise Http404(_("Dit rapport heeft geen tabel met deze naam."))
        period = report.period
        name = f"{slugify(f'{period.programme.name} {period.name}')}-{data.name}.{extension}"
        if extension == "json":
            about = {
                "organisatie": found.name,
                "programma": period.programme.name,
                "rapport": period.name,
                "peildatum": period.reference_date.isoformat(),
                "gepubliceerd_op": report.built_at.isoformat(),
                "controlegetal_pdf": report.checksum,
                "eenheid_bedragen": _("hele euro's"),
            }
            response = HttpResponse(
                open_data.as_json(data, about), content_type="application/json; charset=utf-8"
            )
        else:
            response = HttpResponse(open_data.as_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
        patch_cache_control(response, public=True, max_age=A_DAY)
        return response


@login_not_required
@require_GET
def compare(request, organisation: str, programme: int):
    """Two published reports of a programme side by side: per measure what changed in
    status, target, forecast and text. Only the programme's published reports can be
    chosen; any other choice is answered with a message at the field and the form, as
    the app's other forms do."""
    with public_scope(organisation) as found:
        chosen = public_programme(found, programme)
        choices = list(published_reports(found).filter(period__programme=chosen))
        by_id = {str(report.pk): report for report in choices}
        wanted = {key: request.GET.get(key, "").strip() for key in ("van", "naar")}
        errors, comparison = {}, None
        if any(wanted.values()):
            for key, value in wanted.items():
                if not value:
                    errors[key] = _("Kies een gepubliceerd rapport.")
                elif value not in by_id:
                    errors[key] = _(
                        "Dit rapport staat niet tussen de gepubliceerde rapporten van dit "
                        "programma; kies er een uit de lijst."
                    )
            if not errors and wanted["van"] == wanted["naar"]:
                errors["naar"] = _("Kies twee verschillende rapporten om te vergelijken.")
            if not errors:
                before, after = by_id[wanted["van"]], by_id[wanted["naar"]]
                comparison = compare_periods(before.period, after.period)
        return render(
            request,
            "public/compare.html",
            {
                "public_organisation": found,
                "programme": chosen,
                "choices": choices,
                "wanted": wanted,
                "errors": errors,
                "comparison": comparison,
            },
        )
