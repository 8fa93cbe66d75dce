"""The catalogue of checks is data: every row has a check behind it, and an administrator's
change to a row (switched off, other stages) changes what a run does."""

from fupin.checks.models import CheckDefinition
from fupin.checks.registry import CHECKS
from fupin.checks.services import checks_run
from tests.checks_fixtures import archived_items

PROPERTIES = {"authenticity", "integrity", "usability", "security"}


def test_catalogue_covers_four_properties_and_every_row_has_a_check(db):
    rows = list(CheckDefinition.objects.all())
    assert {r.property for r in rows} == PROPERTIES
    assert all(r.code in CHECKS for r in rows)
    assert all(set(r.stages) <= {"archive", "transfer", "receipt", "keeping"} for r in rows)
    assert all(r.description and r.title for r in rows)


def test_a_switched_off_check_is_not_run_and_stages_are_data(world):
    items = archived_items(world)
    CheckDefinition.objects.filter(code="numbering").update(active=False)
    CheckDefinition.objects.filter(code="format_policy").update(stages=["archive"])
    run = checks_run(actor=None, stage="keeping", items=items)
    codes = set(run.results.values_list("check_def__code", flat=True))
    assert "numbering" not in codes and "format_policy" not in codes
    assert {"fixity", "audit_trail"} <= codes
    assert run.passed, [(r.check_def.code, r.failures) for r in run.results.all()]
