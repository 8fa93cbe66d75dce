"""Printed forms of a fonds: catalogue, archive stamps, box spine and note. Every download is
recorded in the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_safe

from fupin import printing
from fupin.accounts.access import access_unit
from fupin.audit.services import audit_read_event
from fupin.core.downloads import download
from fupin.objects.selectors import object_open
from fupin.records import printed
from fupin.records.files import access_item_file
from fupin.records.models import ClassCode, ItemFile, RecordItem
from fupin.records.selectors import (
    access_box,
    access_volume,
    class_items,
    item_grant_id,
    visible_items,
)

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request: HttpRequest, body: bytes, name: str, kind: str, region: str) -> HttpResponse:
    audit_read_event(
        actor=request.user,
        action="records.print",
        summary=f"打印/下载 {name}",
        region_code=region,
    )
    return download(body, name, kind)


def _class_of(request: HttpRequest, unit_id: int):
    unit = access_unit(request.user, unit_id)
    try:
        year = int(request.GET["year"])
        klass = get_object_or_404(ClassCode, unit=unit, pk=int(request.GET["class"]))
        category, retention = request.GET["category"], request.GET["retention"]
    except (KeyError, ValueError) as exc:
        raise Http404("请指定年度、门类、保管期限和机构（问题）。") from exc
    items = class_items(unit, year, category, retention, klass.pk).exclude(item_number=None)
    return unit, year, category, retention, klass, items


@require_safe
@login_required
def catalogue(request: HttpRequest, unit_id: int, fmt: str) -> HttpResponse:
    unit, year, category, retention, klass, items = _class_of(request, unit_id)
    cover, entries = printed.catalogue(unit, year, retention, klass, items)
    render = printing.catalogue_pdf if fmt == "pdf" else printing.catalogue_xlsx
    name = f"归档文件目录-{unit.fonds_code}-{category}-{year}-{retention}-{klass.code}.{fmt}"
    return _download(
        request, render(cover, entries), name, PDF if fmt == "pdf" else XLSX, unit.region_id
    )


@require_safe
@login_required
def stamps(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    year = int(request.GET.get("year") or 0)
    items = visible_items(request.user).filter(unit=unit, year=year).exclude(item_number=None)
    if not items:
        raise Http404("该年度没有已编号的文件。")
    body = printing.archive_stamp_sheet([printed.stamp(i) for i in items])
    return _download(request, body, f"归档章-{unit.fonds_code}-{year}.pdf", PDF, unit.region_id)


@require_safe
@login_required
def box_form(request: HttpRequest, box_id: int, form: str) -> HttpResponse:
    box = access_box(request.user, box_id)
    if form == "spine":
        body = printing.box_spine_pdf([printed.spine(box)])
    else:
        body = printing.box_note_pdf(printed.note(box))
    label = "盒脊" if form == "spine" else "备考表"
    return _download(
        request, body, f"{label}-{box.unit.fonds_code}-{box.pk}.pdf", PDF, box.unit.region_id
    )


@require_safe
@login_required
def item_file(request: HttpRequest, record_id: int, file_id: int) -> HttpResponse:
    """Download a scan; `?stamp=1` prints the archive stamp on the first page of a PDF."""
    try:
        item, found = access_item_file(request.user, record_id, file_id)
    except ValidationError as exc:
        raise Http404(str(exc)) from exc
    with object_open(found.object) as handle:
        body = handle.read()
    if (grant := item_grant_id(request.user, item)) is not None:
        return _granted_file(request, item, found, body, grant)
    if request.GET.get("stamp") == "1" and found.object.format in ("pdf", "pdfa"):
        if item.item_number is None:
            raise Http404("未编号的文件不能加盖归档章。")
        body = printing.stamp_first_page(body, printed.stamp(item))
    return _download(request, body, found.filename, found.object.mime, item.unit.region_id)


def _granted_file(
    request: HttpRequest, item: RecordItem, found: ItemFile, body: bytes, grant: int
) -> HttpResponse:
    """A file read outside one's own scope leaves with the reader's name, account and time."""
    user = request.user
    moment = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    who = f"{user.full_name or user.username}（账号 {user.username}）"
    text = f"{who}{moment} 依利用授权第{grant}号下载"
    try:
        body = printing.watermark(body, found.object.format, text)
    except printing.PrintingError as exc:
        messages.error(request, str(exc))
        return redirect("records:item_detail", record_id=item.pk)
    audit_read_event(
        actor=user,
        action="records.granted_download",
        summary=f"依利用授权第{grant}号下载 {item} 的 {found.filename}（已加水印：{text}）",
        object_type="records.recorditem",
        object_id=item.pk,
        region_code=item.unit.region_id,
    )
    return download(body, found.filename, found.object.mime)


@require_safe
@login_required
def volume_form(request: HttpRequest, volume_id: int, form: str) -> HttpResponse:
    volume = access_volume(request.user, volume_id)
    if form == "list":
        body = printing.volume_list_pdf(*printed.volume_list(volume))
        label = "卷内目录"
    elif form == "cover":
        body = printing.volume_cover_pdf(printed.volume_cover(volume))
        label = "案卷封面"
    else:
        body = printing.volume_note_pdf(printed.volume_note(volume))
        label = "卷内备考表"
    return _download(
        request, body, f"{label}-{volume.reference_code}.pdf", PDF, volume.unit.region_id
    )
