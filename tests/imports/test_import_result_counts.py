"""The import's result counts in Dutch: "1 nieuwe maatregel", not "1 nieuwe maatregelen"."""

from tests.imports.conftest import HEADER, preview_and_confirm, xlsx


def rows(*titles) -> list[list]:
    return [
        ["Bedragen x € 1.000"],
        HEADER,
        *(
            ["Maatregelenplan 1", "BW-6696", str(number), title, 100, 200, 300, 400, "Ja"]
            for number, title in enumerate(titles, start=1)
        ),
    ]


def test_one_new_measure_is_counted_in_the_singular(zorg, midterm, controller_client):
    result = preview_and_confirm(
        controller_client, xlsx(rows("Doorbraakmethode")), programme=zorg, period=midterm
    )
    page = result.content.decode()
    assert "1 nieuwe maatregel, 0 gewijzigd, 0 ongewijzigd." in page
    assert "Status of toelichting van 1 maatregel in Midterm review 2020." in page


def test_two_new_measures_are_counted_in_the_plural(zorg, midterm, controller_client):
    result = preview_and_confirm(
        controller_client,
        xlsx(rows("Doorbraakmethode", "Peuteropvang")),
        programme=zorg,
        period=midterm,
    )
    page = result.content.decode()
    assert "2 nieuwe maatregelen, 0 gewijzigd, 0 ongewijzigd." in page
    assert "Status of toelichting van 2 maatregelen in Midterm review 2020." in page
