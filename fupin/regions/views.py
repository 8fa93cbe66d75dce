from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fupin.accounts.access import (
    access_region,
    access_unit,
    require_cap,
    user_scope,
    visible_regions,
)
from fupin.accounts.roles import Cap
from fupin.regions import services
from fupin.regions.forms import CampaignEndForm, StationedVillagesForm, UnitCreateForm, UnitForm
from fupin.regions.models import CODE_LENGTH, Level, Region, UnitKind
from fupin.regions.panels import region_panels, unit_panels
from fupin.regions.reading import (
    browsable_regions,
    browsable_units,
    browse_region,
    browse_roots,
    browse_unit,
    can_manage,
)
from fupin.regions.selectors import campaign_end

UNITS_PER_PAGE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/index.html", {"roots": browse_roots(request.user)})


def _breadcrumbs(request: HttpRequest, region: Region) -> list[dict]:
    """Ancestors by name; linked only where the user may open them."""
    codes = [region.code[:n] for n in CODE_LENGTH.values() if n < len(region.code)]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    openable = set(
        browsable_regions(request.user).filter(code__in=codes).values_list("code", flat=True)
    )
    return [{"code": c, "name": names[c], "link": c in openable} for c in codes if c in names]


def _poor_villages_below(region: Region) -> Counter:
    """Poor villages under each child, counted by code prefix in one query."""
    size = len(region.code)
    child_length = min(n for n in CODE_LENGTH.values() if n > size) if size < 12 else size
    codes = Region.objects.filter(
        code__startswith=region.code, level=Level.VILLAGE, is_poor=True
    ).values_list("code", flat=True)
    return Counter(code[:child_length] for code in codes)


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    region = browse_region(request.user, code)
    children = (
        browsable_regions(request.user)
        .filter(parent=region)
        .annotate(
            child_count=Count("children", distinct=True),
            unit_count=Count("units", distinct=True),
        )
    )
    poor = _poor_villages_below(region)
    context = {
        "region": region,
        "crumbs": _breadcrumbs(request, region),
        "children": [{"region": c, "poor_villages": poor[c.code]} for c in children],
        "units": browsable_units(request.user).filter(region=region),
        "can_manage": can_manage(request.user, region.code),
        "name_changes": region.name_changes.order_by("-changed_at"),
        "panels": region_panels(request.user, region),
    }
    return render(request, "regions/detail.html", context)


@login_required
def units(request: HttpRequest) -> HttpResponse:
    found = browsable_units(request.user)
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "").strip()
    q = request.GET.get("q", "").strip()
    if kind in UnitKind.values:
        found = found.filter(kind=kind)
    if region:
        found = found.filter(region__code__startswith=region)
    if q:
        found = found.filter(Q(name__icontains=q) | Q(fonds_code__icontains=q))
    page = Paginator(found.order_by("region_id", "name"), UNITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "kinds": UnitKind.choices,
        "kind": kind,
        "region": region,
        "q": q,
        "query": params.urlencode(),
        "can_create": user_scope(request.user).has(Cap.USERS_MANAGE),
    }
    return render(request, "regions/units.html", context)


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = browse_unit(request.user, unit_id)
    manage = can_manage(request.user, unit.region_id)
    villages_form = StationedVillagesForm(
        initial={"villages": " ".join(v.code for v in unit.stationed_villages.all())}
    )
    context = {
        "unit": unit,
        "can_manage": manage,
        "villages": unit.stationed_villages.all(),
        "villages_form": villages_form if manage and unit.kind == UnitKind.WORK_TEAM else None,
        "panels": unit_panels(request.user, unit),
    }
    return render(request, "regions/unit_detail.html", context)


def _unit_fields(form: UnitForm) -> dict[str, str]:
    return {name: form.cleaned_data[name] for name in services.UNIT_FIELDS}


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require_cap(request.user, Cap.USERS_MANAGE)
    form = UnitCreateForm(request.POST or None, initial={"region": request.GET.get("region", "")})
    if request.method == "POST" and form.is_valid():
        try:
            region = access_region(request.user, form.cleaned_data["region"], Cap.USERS_MANAGE)
            unit = services.unit_create(actor=request.user, region=region, **_unit_fields(form))
        except Http404:
            form.add_error("region", "该区划不存在，或不在您的管辖范围内。")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建立档单位 {unit.name}。")
            return redirect("regions:unit_detail", unit_id=unit.pk)
    return render(request, "regions/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit(request.user, unit_id, Cap.USERS_MANAGE)
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit_id=unit.pk, **_unit_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("regions:unit_detail", unit_id=unit.pk)
    return render(request, "regions/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def unit_active(request: HttpRequest, unit_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    unit = services.unit_set_active(actor=request.user, unit_id=unit_id, active=active)
    messages.success(request, f"已{'启用' if unit.active else '停用'} {unit.name}。")
    return redirect("regions:unit_detail", unit_id=unit.pk)


@login_required
@require_POST
def unit_villages(request: HttpRequest, unit_id: int) -> HttpResponse:
    form = StationedVillagesForm(request.POST)
    if form.is_valid():
        try:
            services.unit_set_stationed_villages(
                actor=request.user, unit_id=unit_id, village_codes=form.codes()
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "驻点村已保存。")
    return redirect("regions:unit_detail", unit_id=unit_id)


@login_required
def campaign_end_page(request: HttpRequest) -> HttpResponse:
    """精准扶贫工作结束: the poverty office sets the end and the transfer deadline of its
    province, city or county; regions below follow unless they set their own."""
    require_cap(request.user, Cap.CAMPAIGN_END)
    if request.method == "POST":
        form = CampaignEndForm(request.POST)
        if form.is_valid():
            try:
                region = services.region_campaign_end_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"已保存{region.name}的精准扶贫工作结束日期。")
        else:
            messages.error(request, "日期格式不正确，请按“年-月-日”填写。")
        return redirect("regions:campaign_end")
    regions = visible_regions(request.user, Cap.CAMPAIGN_END).filter(
        level__in=services.CAMPAIGN_LEVELS
    )
    rows = [{"region": r, "applies": campaign_end(r.code)} for r in regions.order_by("code")[:500]]
    return render(request, "regions/campaign_end.html", {"rows": rows})
