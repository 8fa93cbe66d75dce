"""Reads of photo groups and photos, always through the access layer."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fupin.accounts.access import user_scope
from fupin.accounts.roles import Cap
from fupin.photos.models import PhotoDetails, PhotoGroup
from fupin.records.selectors import access_item


def visible_groups(actor: Any, cap: str = Cap.DATA_READ) -> QuerySet[PhotoGroup]:
    q = user_scope(actor).unit_q(cap, "unit", "unit__region__code")
    return PhotoGroup.objects.filter(q).select_related("unit", "unit__region")


def access_group(actor: Any, group_id: int, cap: str = Cap.DATA_READ) -> PhotoGroup:
    group = visible_groups(actor, cap).filter(pk=group_id).first()
    if group is None:
        raise Http404("未找到该照片组，或不在您的管辖范围内。")
    return group


def group_photos(group: PhotoGroup) -> QuerySet[PhotoDetails]:
    return group.photos.select_related("item").order_by("photo_number")


def access_photo(actor: Any, record_id: int) -> PhotoDetails:
    item = access_item(actor, record_id)
    found = (
        PhotoDetails.objects.filter(item=item)
        .select_related("group", "thumbnail", "item__unit", "item__schedule_row")
        .first()
    )
    if found is None:
        raise Http404("该文件不是照片。")
    return found
