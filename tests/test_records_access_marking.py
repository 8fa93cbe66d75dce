"""Every record carries an open/controlled marking (开放/控制) with a reason before it goes to
the archives (issue 17); marking is a write of the fonds' custodians, audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from fupin.audit.models import AuditEvent
from fupin.records.models import RecordItem
from fupin.records.services import records_mark_access
from tests.records_fixtures import file_item, set_up_fonds


@pytest.fixture
def items(world):
    unit = world.units["office_a"]
    klass = set_up_fonds(unit)["BGS"]
    return unit, [file_item(unit, klass, day=date(2016, 3, d)).pk for d in (1, 2)]


def test_marking_needs_a_reason_and_is_audited(world, items):
    unit, ids = items
    with pytest.raises(ValidationError, match="理由"):
        records_mark_access(actor=world.users["unit_a"], unit_id=unit.pk, marking="open",
                            reason="  ", item_ids=ids)  # fmt: skip
    marked = records_mark_access(actor=world.users["unit_a"], unit_id=unit.pk, item_ids=ids,
                                 marking="controlled", reason="涉及个人信息")  # fmt: skip
    assert marked == 2
    assert set(RecordItem.objects.values_list("access_marking", "access_marking_reason")) == {
        ("controlled", "涉及个人信息")
    }
    assert AuditEvent.objects.filter(action="records.mark_access").count() == 1


def test_only_the_fonds_custodians_mark_and_only_their_own(world, items):
    unit, ids = items
    with pytest.raises(Http404):
        records_mark_access(actor=world.users["county_b"], unit_id=unit.pk, marking="open",
                            reason="可以开放", item_ids=ids)  # fmt: skip
    other = world.units["office_b"]
    with pytest.raises((Http404, ValidationError)):
        records_mark_access(actor=None, unit_id=other.pk, marking="open", reason="可以开放",
                            item_ids=ids)  # fmt: skip
    with pytest.raises(ValidationError, match="开放"):
        records_mark_access(actor=None, unit_id=unit.pk, marking="secret", reason="x", item_ids=ids)
    assert not RecordItem.objects.exclude(access_marking=None).exists()
