"""Reads of record items, always through the access layer."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fupin.accounts.access import (
    item_grants,
    item_read_q,
    item_scope_q,
    user_scope,
    visible_units,
)
from fupin.accounts.roles import Cap
from fupin.records.models import Box, ItemFile, RecordItem, Volume
from fupin.regions.models import Unit


def visible_items(
    actor: Any, cap: str = Cap.DATA_READ, granted: Mapping[int, int] | None = None
) -> QuerySet[RecordItem]:
    """Items in scope (classified ones only with clearance); for reading also those granted
    (`granted`: the actor's `item_grants` when already read)."""
    q = item_read_q(actor, cap, "unit", "unit__region__code", granted)
    return RecordItem.objects.filter(q).select_related("unit", "class_code", "schedule_row")


def item_grant_id(
    actor: Any, item: RecordItem, granted: Mapping[int, int] | None = None
) -> int | None:
    """The grant an actor reads this item by, or None when their own scope reaches it."""
    grant = (item_grants(actor) if granted is None else granted).get(item.pk)
    if grant is None:
        return None  # nearly every page: no grant names the item, so no scope query is needed
    own = item_scope_q(actor, Cap.DATA_READ, "unit", "unit__region__code")
    return None if RecordItem.objects.filter(own, pk=item.pk).exists() else grant


def item_writable(actor: Any, item: RecordItem) -> bool:
    """Whether the actor may change this item (its description, its files): the access layer's
    write rule, which a reader's scope does not meet."""
    if not user_scope(actor).covers_unit(Cap.DATA_WRITE, item.unit):
        # The rule's first condition, told from the unit already read: a reader (nearly every
        # item page of a county office) is answered without compiling the query (0.8 ms).
        return False
    return visible_items(actor, Cap.DATA_WRITE).filter(pk=item.pk).exists()


def access_item(
    actor: Any,
    item_id: int,
    cap: str = Cap.DATA_READ,
    granted: Mapping[int, int] | None = None,
) -> RecordItem:
    # get(), not first(): first() orders by the model's seven ordering columns to pick one row
    # of at most one (a quarter of the item page's query time in Django's compiler). The
    # schedule version comes in the same row: the item page shows its title.
    try:
        items = visible_items(actor, cap, granted).select_related("schedule_version")
        return items.get(pk=item_id)
    except RecordItem.DoesNotExist:
        raise Http404("未找到该文件，或不在您的管辖范围内。") from None


def item_files(item: RecordItem) -> QuerySet[ItemFile]:
    """The item's files with their stored objects (format, digest), in one query."""
    return item.files.select_related("object")


def access_box(actor: Any, box_id: int) -> Box:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    box = Box.objects.filter(q, pk=box_id).select_related("unit", "class_code").first()
    if box is None:
        raise Http404("未找到该盒，或不在您的管辖范围内。")
    return box


def writable_units(actor: Any) -> QuerySet[Unit]:
    return visible_units(actor, Cap.DATA_WRITE).order_by("region_id", "name")


def class_items(unit: Unit, year: int, category: str, retention: str, class_id: int):
    return RecordItem.objects.filter(
        unit=unit, year=year, category=category, retention=retention, class_code_id=class_id
    ).order_by("item_number", "pk")


def access_volume(actor: Any, volume_id: int) -> Volume:
    q = user_scope(actor).unit_q(Cap.DATA_READ, "unit", "unit__region__code")
    volume = Volume.objects.filter(q, pk=volume_id).select_related("unit").first()
    if volume is None:
        raise Http404("未找到该案卷，或不在您的管辖范围内。")
    # A volume's forms list its documents' titles: as classified as its most classified one.
    if volume.entries.exclude(item__in=visible_items(actor)).exists():
        raise PermissionDenied("本卷含有您无权阅读的涉密文件，卷内目录、封面和备考表不能查看。")
    return volume
