from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fupin.accounts.access import access_unit, item_grants
from fupin.accounts.roles import Cap
from fupin.audit.services import audit_read_event
from fupin.records import services
from fupin.records.files import item_attach
from fupin.records.forms import ClassCodeForm, FondsForm, ItemForm
from fupin.records.models import (
    DEFAULT_TEMPLATE,
    Box,
    CategoryCode,
    ClassCode,
    FondsSettings,
    Volume,
)
from fupin.records.selectors import (
    access_item,
    item_files,
    item_grant_id,
    item_writable,
    visible_items,
    writable_units,
)
from fupin.records.services import UNIT_SCHEDULE_LEVEL
from fupin.records.volumes import volume_create
from fupin.schedule import retention
from fupin.schedule.selectors import rows_in_force, version_in_force

# Fields a clerk keeps from one item to the next while filing a batch ("drafts").
STICKY = ("category", "schedule_row_id", "retention", "class_code_id", "responsible", "date")


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        return 0


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "records/index.html", {"units": writable_units(request.user)})


@login_required
def workspace(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id)
    items = visible_items(request.user).filter(unit=unit)
    years = sorted(items.order_by().values_list("year", flat=True).distinct(), reverse=True)
    year = _year(request) or (years[0] if years else 0)
    context = {
        "unit": unit,
        "years": years,
        "year": year,
        "items": items.filter(year=year).select_related("box"),
        "fonds": FondsSettings.objects.filter(unit=unit).first(),
        "boxes": Box.objects.filter(unit=unit, year=year).select_related("class_code"),
        "volumes": Volume.objects.filter(unit=unit, year=year),
        "catalogues": _catalogues(items.filter(year=year)),
        "retentions": retention.choices(),
    }
    return render(request, "records/workspace.html", context)


def _catalogues(items) -> list[dict]:
    """Each class of the year with numbered items: its 归档文件目录 prints as soon as the
    items are numbered (DA/T 22), boxed or not."""
    groups = list(
        items.exclude(item_number=None)
        .order_by("category", "retention", "class_code__code")
        .values("category", "retention", "class_code_id", "class_code__name")
        .annotate(count=Count("pk"))
    )
    for group in groups:
        group["category_label"] = CategoryCode(group["category"]).label
        group["retention_label"] = retention.label(group["retention"])
    return groups


def _item_form(request: HttpRequest, unit_id: int, data=None, initial=None) -> ItemForm:
    unit = access_unit(request.user, unit_id, Cap.DATA_WRITE)
    level = UNIT_SCHEDULE_LEVEL[unit.region.level]
    rows = [r for r in rows_in_force(version_in_force(unit=unit)) if r.level == level]
    classes = ClassCode.objects.filter(unit=unit)
    return ItemForm(data, initial=initial, rows=rows, classes=classes)


def _service_call(form: ItemForm, call: Callable[..., object]) -> object | None:
    try:
        return call(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def item_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    draft_key = f"records-draft-{unit_id}"
    form = _item_form(request, unit_id, request.POST or None, request.session.get(draft_key))
    if request.method == "POST" and form.is_valid():
        call = lambda **d: services.item_create(actor=request.user, unit_id=unit_id, **d)  # noqa: E731
        if item := _service_call(form, call):
            request.session[draft_key] = {k: str(form.cleaned_data[k]) for k in STICKY}
            messages.success(request, f"已保存：{item}")
            if "next" in request.POST:
                return redirect("records:item_new", unit_id=unit_id)
            return redirect(reverse("records:workspace", args=[unit_id]) + f"?year={item.year}")
    level = UNIT_SCHEDULE_LEVEL[access_unit(request.user, unit_id).region.level]
    context = {"form": form, "unit_id": unit_id, "level": level}
    return render(request, "records/item_form.html", context)


@login_required
def item_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    granted = item_grants(request.user)  # read once for the access check and the grant
    item = access_item(request.user, record_id, granted=granted)
    if (grant := item_grant_id(request.user, item, granted)) is not None:
        return _granted_detail(request, item, grant)
    # A reader in scope (a county office opening a village's draft) sees the item without the
    # forms: building the edit form for them asked for the unit's write access and answered 404.
    writable = item_writable(request.user, item)
    editable = writable and item.status != "locked"
    if request.method == "POST" and not editable:
        raise PermissionDenied("该文件已归档或不由您保管，不能修改。")
    form = None
    if editable:
        initial = {f: getattr(item, f) for f in services.DESCRIPTION_FIELDS}
        form = _item_form(request, item.unit_id, request.POST or None, initial)
        if request.method == "POST" and form.is_valid():
            call = lambda **d: services.item_update(actor=request.user, item_id=item.pk, **d)  # noqa: E731
            if _service_call(form, call):
                messages.success(request, "已保存修改。")
                return redirect("records:item_detail", record_id=item.pk)
    context = {"item": item, "files": item_files(item), "form": form, "writable": writable}
    return render(request, "records/item_detail.html", context)


def _granted_detail(request: HttpRequest, item, grant: int) -> HttpResponse:
    audit_read_event(
        actor=request.user,
        action="records.granted_read",
        summary=f"依利用授权第{grant}号查阅 {item}",
        object_type="records.recorditem",
        object_id=item.pk,
        region_code=item.unit.region_id,
    )
    context = {"item": item, "files": item_files(item), "grant": grant}
    return render(request, "records/item_detail.html", context)


@login_required
def fonds(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id, Cap.DATA_WRITE)
    current = FondsSettings.objects.filter(unit=unit).first()
    initial = {
        "facet": current.facet if current else "department",
        "code_template": current.code_template if current else DEFAULT_TEMPLATE,
    }
    form = FondsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.fonds_configure(actor=request.user, unit_id=unit.pk, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存全宗设置。")
            return redirect("records:fonds", unit_id=unit.pk)
    context = {
        "unit": unit,
        "form": form,
        "class_form": ClassCodeForm(),
        "current": current,
        "classes": ClassCode.objects.filter(unit=unit),
    }
    return render(request, "records/fonds.html", context)


def _post_action(request: HttpRequest, unit_id: int, action: Callable[[], str]) -> HttpResponse:
    access_unit(request.user, unit_id, Cap.DATA_WRITE)
    try:
        messages.success(request, action())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    year = _year(request)
    return redirect(
        reverse("records:workspace", args=[unit_id]) + (f"?year={year}" if year else "")
    )


def _selected(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("item") if v.isdigit()]


@login_required
@require_POST
def class_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    access_unit(request.user, unit_id, Cap.DATA_WRITE)
    try:
        services.class_code_add(
            actor=request.user,
            unit_id=unit_id,
            code=request.POST.get("code", ""),
            name=request.POST.get("name", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("records:fonds", unit_id=unit_id)


@login_required
@require_POST
def arrange(request: HttpRequest, unit_id: int) -> HttpResponse:
    def run() -> str:
        report = services.items_arrange(actor=request.user, unit_id=unit_id, year=_year(request))
        done = f"整理编号完成：{report.classes} 个类别，{report.numbered} 件编号"
        return f"{done}，{report.kept} 件已归档未变。"

    return _post_action(request, unit_id, run)


@login_required
@require_POST
def lock(request: HttpRequest, unit_id: int) -> HttpResponse:
    def run() -> str:
        count = services.items_lock(
            actor=request.user, unit_id=unit_id, item_ids=_selected(request)
        )
        return f"已归档 {count} 件，档号从此固定。"

    return _post_action(request, unit_id, run)


@login_required
@require_POST
def box(request: HttpRequest, unit_id: int) -> HttpResponse:
    def run() -> str:
        made = services.items_box(actor=request.user, unit_id=unit_id, item_ids=_selected(request))
        return f"已装入 {made}。"

    return _post_action(request, unit_id, run)


@login_required
@require_POST
def item_upload(request: HttpRequest, record_id: int) -> HttpResponse:
    access_item(request.user, record_id, Cap.DATA_WRITE)
    uploads = request.FILES.getlist("file")
    for refused in getattr(request, "upload_errors", []):
        messages.error(request, refused)
    if not uploads and not getattr(request, "upload_errors", None):
        messages.error(request, "请选择要上传的文件。")
    for upload in uploads:
        try:
            attached, _, notes = item_attach(
                actor=request.user, item_id=record_id, stream=upload, filename=upload.name
            )
        except ValidationError as exc:
            messages.error(request, f"{upload.name}：{'；'.join(exc.messages)}")
        else:
            messages.success(request, f"已上传 {attached.filename}。")
            for note in notes:
                messages.warning(request, note)
    return redirect("records:item_detail", record_id=record_id)


@login_required
@require_POST
def volume_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    def run() -> str:
        post = request.POST
        volume = volume_create(
            actor=request.user,
            unit_id=unit_id,
            category=post.get("category", ""),
            year=_year(request),
            retention=post.get("retention", ""),
            project=post.get("project", ""),
            title=post.get("title", ""),
            item_ids=_selected(request),
        )
        return f"已组卷：{volume}"

    return _post_action(request, unit_id, run)
