"""python manage.py report --programme ... --period ... --output ..."""

import pytest
from django.core.management import CommandError, call_command

from reports.models import PublishedReport
from reports.services import publish_report
from tests.reports.pdfs import page_texts, squeezed


def run(tmp_path, name, **options):
    output = tmp_path / name
    call_command(
        "report",
        programme="Programma Zorg",
        period="Midterm review 2020",
        output=str(output),
        **options,
    )
    return output


def test_command_writes_the_pdf_report(period, tmp_path, capsys):
    output = run(tmp_path, "rapport.pdf")
    text = "\n".join(squeezed(page) for page in page_texts(output.read_bytes()))
    assert "Inventarisatie invulling taakstelling per 2022 5.832" in text
    assert "Programma Zorg, Midterm review 2020 (concept)" in capsys.readouterr().out


def test_command_writes_the_web_version_for_an_html_file(period, tmp_path):
    html = run(tmp_path, "rapport.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "5.832" in html


def test_command_writes_the_published_bytes(period, controller, tmp_path, capsys):
    publish_report(period=period, user=controller)
    output = run(tmp_path, "rapport.pdf")
    assert output.read_bytes() == bytes(PublishedReport.objects.get().pdf)
    assert "(gepubliceerd, gemaakt op " in capsys.readouterr().out


def test_command_names_an_unknown_period(almelo, tmp_path):
    with pytest.raises(CommandError, match="'Begroting 2030' van 'Programma Zorg' niet gevonden"):
        call_command(
            "report",
            programme="Programma Zorg",
            period="Begroting 2030",
            output=str(tmp_path / "x.pdf"),
        )
