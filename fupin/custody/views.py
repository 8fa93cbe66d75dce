"""Pages of the storage rooms: rooms, shelving by scanner, conditions, inventory checks."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.accounts.access import user_scope, visible_regions, visible_units
from fupin.accounts.roles import Cap
from fupin.custody import services
from fupin.custody.forms import (
    CheckPlanForm,
    LimitsForm,
    MoveForm,
    PlaceForm,
    ReadingForm,
    RoomForm,
    ScanForm,
    ShelfForm,
)
from fupin.custody.models import CheckStatus, Limits
from fupin.custody.selectors import (
    Thing,
    access_check,
    access_room,
    check_result,
    conditions,
    history,
    placement_of,
    room_layout,
    thresholds_for,
    unplaced_boxes,
    visible_rooms,
)
from fupin.records.selectors import access_box, access_volume


def _attempt(request: HttpRequest, call: Callable[[], Any], done: str) -> bool:
    """Run a service call; its refusal becomes the page's error message."""
    try:
        call()
    except (ValidationError, Http404) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return False
    messages.success(request, done)
    return True


def _errors(request: HttpRequest, form) -> None:
    """Each refused field named, as the form is not shown again after the redirect."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))


def _can_write(request: HttpRequest, room) -> bool:
    return user_scope(request.user).covers_unit(Cap.DATA_WRITE, room.unit)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user, Cap.DATA_WRITE).order_by("region_id", "name")
    form = RoomForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made: list = []

        def call() -> None:
            made.append(
                services.room_create(
                    actor=request.user,
                    unit_id=data["unit"].pk,
                    name=data["name"],
                    location=data["location"],
                )
            )

        if _attempt(request, call, f"已新建库房“{data['name']}”。"):
            return redirect("custody:room", room_id=made[0].pk)
    rooms = list(visible_rooms(request.user))
    context = {
        "rows": conditions(rooms),
        "form": form if units.exists() else None,
        "unplaced": unplaced_boxes(request.user).count(),
        "limits": user_scope(request.user).has(Cap.USERS_MANAGE),
    }
    return render(request, "custody/index.html", context)


@login_required
def room(request: HttpRequest, room_id: int) -> HttpResponse:
    found = access_room(request.user, room_id)
    writable = _can_write(request, found)
    context = {
        "room": found,
        "layout": room_layout(found),
        "readings": found.readings.select_related("actor")[:20],
        "thresholds": thresholds_for(found.unit.region_id),
        "checks": found.checks.select_related("shelf")[:20],
        "writable": writable,
        "reading_form": ReadingForm() if writable else None,
        "shelf_form": ShelfForm() if writable else None,
        "plan_form": CheckPlanForm(room=found) if writable else None,
        "open_check": found.checks.filter(status=CheckStatus.OPEN).first(),
    }
    return render(request, "custody/room.html", context)


@login_required
@require_POST
def shelf_add(request: HttpRequest, room_id: int) -> HttpResponse:
    access_room(request.user, room_id, Cap.DATA_WRITE)
    form = ShelfForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        data = form.cleaned_data
        _attempt(
            request,
            lambda: services.shelf_create(actor=request.user, room_id=room_id, **data),
            f"已新增 {data['code'].upper()} 架（柜）。",
        )
    return redirect("custody:room", room_id=room_id)


@login_required
@require_POST
def reading_add(request: HttpRequest, room_id: int) -> HttpResponse:
    access_room(request.user, room_id, Cap.DATA_WRITE)
    form = ReadingForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("custody:room", room_id=room_id)
    made: list = []
    ok = _attempt(
        request,
        lambda: made.append(
            services.reading_record(actor=request.user, room_id=room_id, **form.cleaned_data)
        ),
        "已记录温湿度与八防检查。",
    )
    if ok and made[0].alerts:
        messages.error(request, "超出阈值或检查不合格：" + "；".join(made[0].alerts))
    return redirect("custody:room", room_id=room_id)


@login_required
def shelve(request: HttpRequest, room_id: int) -> HttpResponse:
    """Shelving by scanner: pick the position once, then scan box after box."""
    found = access_room(request.user, room_id, Cap.DATA_WRITE)
    form = PlaceForm(request.POST or None, room=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            lambda: services.thing_place(
                actor=request.user,
                code=data["code"],
                position_id=data["position"],
                reason=data["reason"],
            ),
            f"{data['code']} 已放到所选位置。",
        )
        form = PlaceForm(
            initial={"position": data["position"], "reason": data["reason"]}, room=found
        )
    context = {"room": found, "form": form, "layout": room_layout(found)}
    return render(request, "custody/shelve.html", context)


@login_required
@require_POST
def check_plan(request: HttpRequest, room_id: int) -> HttpResponse:
    found = access_room(request.user, room_id, Cap.DATA_WRITE)
    form = CheckPlanForm(request.POST, room=found)
    if not form.is_valid():
        _errors(request, form)
        return redirect("custody:room", room_id=room_id)
    made: list = []
    shelf = form.cleaned_data["shelf"]

    def call() -> None:
        made.append(
            services.check_plan(
                actor=request.user,
                room_id=room_id,
                shelf_id=shelf.pk if shelf else None,
                planned_on=form.cleaned_data["planned_on"],
            )
        )

    if _attempt(request, call, "已生成盘点清单，请逐格扫描。"):
        return redirect("custody:check", check_id=made[0].pk)
    return redirect("custody:room", room_id=room_id)


@login_required
def check(request: HttpRequest, check_id: int) -> HttpResponse:
    found = access_check(request.user, check_id)
    is_open = found.status == CheckStatus.OPEN and _can_write(request, found.room)
    form = ScanForm(request.POST or None, room=found.room, shelf=found.shelf)
    if request.method == "POST":
        access_check(request.user, check_id, Cap.DATA_WRITE)
        if form.is_valid():
            data = form.cleaned_data
            by = "hand" if request.POST.get("by") == "hand" else "scan"
            _attempt(
                request,
                lambda: services.check_found(
                    actor=request.user,
                    check_id=check_id,
                    code=data["code"],
                    position_id=data["position"],
                    by=by,
                ),
                f"已登记 {data['code']}。",
            )
            form = ScanForm(
                initial={"position": data["position"]}, room=found.room, shelf=found.shelf
            )
        else:
            _errors(request, form)
    context = {
        "check": found,
        "result": check_result(found),
        "form": form if is_open else None,
        "expected": found.expected.select_related(
            "box__unit", "box__class_code", "volume", "position__shelf"
        ).order_by("position__shelf__code", "position__level", "position__column"),
    }
    return render(request, "custody/check.html", context)


@login_required
@require_POST
def check_all_here(request: HttpRequest, check_id: int) -> HttpResponse:
    access_check(request.user, check_id, Cap.DATA_WRITE)
    position = int(request.POST.get("position") or 0)
    _attempt(
        request,
        lambda: services.check_found_all_at(
            actor=request.user, check_id=check_id, position_id=position
        ),
        "该位置应在架的盒（卷）已手工确认在位。",
    )
    return redirect("custody:check", check_id=check_id)


@login_required
@require_POST
def check_finish(request: HttpRequest, check_id: int) -> HttpResponse:
    access_check(request.user, check_id, Cap.DATA_WRITE)
    _attempt(
        request,
        lambda: services.check_finish(actor=request.user, check_id=check_id),
        "盘点已完成，结果已保存。",
    )
    return redirect("custody:check", check_id=check_id)


def _place_page(request: HttpRequest, thing: Thing) -> HttpResponse:
    rooms = list(visible_rooms(request.user, Cap.DATA_WRITE))
    if request.method == "POST" and "unplace" in request.POST:
        reason = request.POST.get("reason", "")
        _attempt(
            request,
            lambda: services.thing_unplace(actor=request.user, code=thing.code, reason=reason),
            "已下架。",
        )
        return redirect(request.path)
    form = MoveForm(request.POST or None, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            lambda: services.thing_place(
                actor=request.user,
                code=thing.code,
                position_id=data["position"],
                reason=data["reason"],
            ),
            "已放到新位置。",
        ):
            return redirect(request.path)
    writable = user_scope(request.user).covers_unit(
        Cap.DATA_WRITE, (thing.box or thing.volume).unit
    )
    context = {
        "thing": thing,
        "placed": placement_of(thing),
        "history": history(thing),
        "form": form if rooms and writable else None,
        "writable": writable,
    }
    return render(request, "custody/place.html", context)


@login_required
def box_place(request: HttpRequest, box_id: int) -> HttpResponse:
    return _place_page(request, Thing(box=access_box(request.user, box_id)))


@login_required
def volume_place(request: HttpRequest, volume_id: int) -> HttpResponse:
    return _place_page(request, Thing(volume=access_volume(request.user, volume_id)))


@login_required
def unplaced(request: HttpRequest) -> HttpResponse:
    boxes = unplaced_boxes(request.user).order_by("unit__name", "year", "box_number")[:500]
    return render(request, "custody/unplaced.html", {"boxes": boxes})


@login_required
def limits(request: HttpRequest) -> HttpResponse:
    regions = (
        visible_regions(request.user, Cap.USERS_MANAGE)
        .filter(level__in=["province", "city", "county", "township"])
        .order_by("code")
    )
    if not regions.exists():
        raise Http404("只有系统管理员可以设置库房阈值。")
    form = LimitsForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = data.pop("region")
        if _attempt(
            request,
            lambda: services.limits_set(actor=request.user, region_code=region.code, **data),
            f"{region.name}的库房阈值已保存。",
        ):
            return redirect("custody:limits")
    rows = Limits.objects.filter(region__in=regions).select_related("region").order_by("region_id")
    return render(request, "custody/limits.html", {"form": form, "rows": rows})
