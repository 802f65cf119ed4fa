"""A target an import changes is a council decision: the import asks for its reference
and records the change as a revision, keeping the original (issue 13 item 5)."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from measures.models import TargetRevision, YearTarget
from tests.imports.conftest import (
    almelo_rows,
    confirm,
    digest_in,
    preview_and_confirm,
    upload,
    xlsx,
)


@pytest.fixture
def imported(zorg, midterm, controller_client):
    """The seed's table imported into a new programme."""
    preview_and_confirm(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    return zorg


def with_changed_target(rows):
    """The same table with Doorbraakmethode's 2022 target changed from 4.500 to 4.800."""
    changed = [list(row) for row in rows]
    for row in changed:
        if len(row) > 3 and row[3] == "Doorbraakmethode":
            row[7] = "4.800"
    return changed


def doorbraak_2022(programme):
    return YearTarget.objects.get(
        measure__programme=programme, measure__title="Doorbraakmethode", year=2022
    )


def test_import_asks_the_decision_reference_for_changed_targets(
    imported, midterm, controller_client
):
    response = upload(
        controller_client,
        xlsx(with_changed_target(almelo_rows())),
        programme=imported,
        period=midterm,
    )
    preview_url = response["Location"]
    preview = controller_client.get(preview_url).content.decode()
    assert "1 bestaande taakstelling verandert" in preview
    assert 'name="decision_reference"' in preview

    refused = controller_client.post(preview_url, {"digest": digest_in(preview)})
    assert refused.status_code == 200
    assert refused.context["decision_form"].errors["decision_reference"] == [
        "Vul het besluitnummer van de raad in: een gewijzigde taakstelling wordt "
        "vastgelegd als herziening."
    ]
    assert doorbraak_2022(imported).amount == 4_500_000

    confirm(
        controller_client,
        preview_url,
        {
            "digest": digest_in(preview),
            "decision_reference": "BW-7500",
            "decided_on": "2020-11-10",
        },
    )
    target = doorbraak_2022(imported)
    assert target.amount == 4_800_000
    revision = TargetRevision.objects.get(year_target=target)
    assert (revision.previous_amount, revision.new_amount) == (4_500_000, 4_800_000)
    assert revision.decision_reference == "BW-7500"
    assert TargetRevision.objects.count() == 1


def test_import_command_needs_the_decision_reference_for_changed_targets(
    imported, midterm, tmp_path: Path
):
    path = tmp_path / "maatregelen.xlsx"
    path.write_bytes(xlsx(with_changed_target(almelo_rows())))
    args = [str(path), "--programme", imported.name, "--period", midterm.name, "--user", "carl"]
    with pytest.raises(CommandError, match="--besluitnummer"):
        call_command("import_measures", *args)
    assert doorbraak_2022(imported).amount == 4_500_000

    call_command(
        "import_measures", *args, "--besluitnummer", "BW-7500", "--besluitdatum", "2020-11-10"
    )
    target = doorbraak_2022(imported)
    assert target.amount == 4_800_000
    assert TargetRevision.objects.get(year_target=target).decision_reference == "BW-7500"
