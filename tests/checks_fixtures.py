"""Archived records with electronic files, for the four-property check and package tests."""

import io

from django.core.exceptions import ValidationError

from fupin.records.files import item_attach
from fupin.records.models import RecordItem
from fupin.records.services import UNIT_SCHEDULE_LEVEL, items_arrange, items_lock
from tests import objects_samples
from tests.records_fixtures import file_item, set_up_fonds


def archived_items(world, unit_key="committee_a", count=2, *, lock=True, files=None):
    """`count` items of one class of the unit, numbered (and locked), each with a PDF; `files`
    may give the bytes and name of each item's file instead."""
    unit = world.units[unit_key]
    classes = set_up_fonds(unit)
    level = UNIT_SCHEDULE_LEVEL[unit.region.level]
    items = [
        file_item(unit, classes["BGS"], level=level, title=f"{unit.name}扶贫工作总结第{n}号")
        for n in range(1, count + 1)
    ]
    items_arrange(actor=None, unit_id=unit.pk, year=2016)
    for n, item in enumerate(items):
        data, name = (
            files[n] if files else (objects_samples.pdf(text=f"{unit_key}-{n}"), "扫描件.pdf")
        )
        try:
            item_attach(actor=None, item_id=item.pk, stream=io.BytesIO(data), filename=name)
        except ValidationError:
            legacy_file(item, data, name)
    if lock:
        items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in items])
    return list(RecordItem.objects.filter(pk__in=[i.pk for i in items]).order_by("item_number"))


def legacy_file(item, data, name):
    """A file the capture refuses today (a program, a format off the list) as an earlier, laxer
    version kept it — the checks must still find it among what is kept."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from fupin.objects.digests import file_digests
    from fupin.objects.formats import MIME, identify
    from fupin.objects.models import CaptureEvent, Digest, StoredObject
    from fupin.records.models import ItemFile

    digests, size = file_digests(io.BytesIO(data))
    sha = digests["SHA-256"]
    kind = identify(io.BytesIO(data))
    stored = default_storage.save(f"objects/{sha[:2]}/{sha[2:4]}/{sha}", ContentFile(data))
    obj = StoredObject.objects.create(
        sha256=sha, size=size, format=kind, mime=MIME.get(kind, "application/octet-stream"),
        storage_name=stored,
    )  # fmt: skip
    Digest.objects.bulk_create(Digest(object=obj, algorithm=a, value=v) for a, v in digests.items())
    CaptureEvent.objects.create(
        object=obj, unit=item.unit, filename=name, category=item.category, outcome="flagged"
    )
    position = item.files.count() + 1
    return ItemFile.objects.create(item=item, object=obj, position=position, filename=name)


def result(run, code):
    return run.results.get(check_def__code=code)


def household_file(world, tmp_path, village="420322100201"):
    """A registered household of the village with two documents in its file (one with a scan),
    numbered and archived in the village committee's fonds."""
    from datetime import date

    from fupin.households.files.dossier import household_document_add
    from fupin.households.models import Household
    from fupin.households.registry.services import households_import
    from fupin.records.models import FondsSettings
    from tests.households_samples import household, write_sheet

    report = households_import(
        actor=None, path=write_sheet(tmp_path / "户.xlsx", household(village, 7))
    )
    assert report.ok, report
    found = Household.objects.get(village_id=village)
    unit = world.units["committee_a"]
    if not FondsSettings.objects.filter(unit=unit).exists():
        set_up_fonds(unit)
    household_document_add(
        actor=None, household_id=found.pk, number=1, date=date(2016, 3, 1), pages=1
    )
    household_document_add(
        actor=None, household_id=found.pk, number=2, date=date(2016, 4, 1), pages=1,
        stream=io.BytesIO(objects_samples.pdf(text="household")), filename="申请书.pdf",
    )  # fmt: skip
    items = RecordItem.objects.filter(household_document__file__household=found)
    for year in {i.year for i in items}:
        items_arrange(actor=None, unit_id=unit.pk, year=year)
    items_lock(actor=None, unit_id=unit.pk, item_ids=[i.pk for i in items])
    return found


def built_bag(world, tmp_path, name="bag"):
    """A package of two archived records of 东岭村委会, built at tmp_path/name."""
    from fupin.checks.package.build import package_build

    items = archived_items(world)
    dest = tmp_path / name
    package_build(items=items, meta={"sender": "东岭村委会", "batch": "YX-2016-01"}, dest=dest)
    return items, dest


def reseal(bag):
    """Rewrite the tag manifests after an edit, as a forger covering tracks would."""
    from fupin.checks.package.build import _write_tag_manifests

    _write_tag_manifests(bag)


def original(bag):
    return next((bag / "data" / "records").glob("*/001-*"))
