from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from fupin.accounts.roles import Cap
from fupin.objects.selectors import object_open
from fupin.photos import services
from fupin.photos.forms import GroupForm, PhotoDescriptionForm
from fupin.photos.selectors import access_group, access_photo, group_photos, visible_groups
from fupin.records.selectors import writable_units


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = writable_units(request.user)
    context = {
        "groups": visible_groups(request.user, Cap.DATA_WRITE).order_by(
            "unit__region_id", "unit__name", "-year", "retention", "group_number"
        ),
        "form": GroupForm(units=units),
        "can_create": units.exists(),
    }
    return render(request, "photos/index.html", context)


@login_required
@require_POST
def group_new(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST, units=writable_units(request.user))
    if form.is_valid():
        try:
            group = services.photo_group_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已新建照片组：{group}")
            return redirect("photos:group_detail", group_id=group.pk)
    else:
        messages.error(request, "请检查照片组的各项填写是否完整。")
    return redirect("photos:index")


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    if request.method == "POST":
        access_group(request.user, group_id, Cap.DATA_WRITE)
        _upload(request, group.pk, PhotoDescriptionForm(request.POST))
        return redirect("photos:group_detail", group_id=group.pk)
    context = {"group": group, "photos": group_photos(group), "form": PhotoDescriptionForm()}
    return render(request, "photos/group_detail.html", context)


def _upload(request: HttpRequest, group_id: int, form: PhotoDescriptionForm) -> None:
    uploads = request.FILES.getlist("file")
    for refused in getattr(request, "upload_errors", []):
        messages.error(request, refused)
    if not uploads:
        messages.error(request, "请选择要上传的照片。")
        return
    if not form.is_valid():
        messages.error(
            request, "著录项填写有误：" + "；".join(e for v in form.errors.values() for e in v)
        )
        return
    for upload in uploads:
        try:
            done = services.photo_capture(
                actor=request.user,
                group_id=group_id,
                stream=upload,
                filename=upload.name or "",
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, f"{upload.name}：{'；'.join(exc.messages)}")
        else:
            notes = "".join(done.notes)
            messages.success(
                request, f"已接收 {upload.name}，档号 {done.item.reference_code}。{notes}"
            )


@login_required
def photo_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    details = access_photo(request.user, record_id)
    context = {
        "photo": details,
        "item": details.item,
        "original": details.item.files.select_related("object").first(),
        "exif": sorted(details.exif.items()),
    }
    return render(request, "photos/photo_detail.html", context)


# Not written to the audit trail: a group page shows dozens of thumbnails at once, and the
# thumbnail is a preview, not the record; the original's download (records) is audited.
@require_safe
@login_required
def thumbnail(request: HttpRequest, record_id: int) -> HttpResponse:
    details = access_photo(request.user, record_id)
    if details.thumbnail is None:
        raise Http404("该照片没有缩略图。")
    with object_open(details.thumbnail) as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
