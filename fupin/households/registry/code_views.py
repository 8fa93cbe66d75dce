"""The code lists of the registration sheet, and aliases added by the system administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fupin.accounts.access import require_cap, user_scope
from fupin.accounts.roles import Cap
from fupin.households.models import CodeAlias
from fupin.households.registry.codes import CODED_COLUMNS, code_lists
from fupin.households.registry.services import code_alias_add


@login_required
def code_lists_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        require_cap(request.user, Cap.USERS_MANAGE)
        try:
            code_alias_add(
                actor=request.user,
                column=request.POST.get("column", ""),
                alias=request.POST.get("alias", ""),
                value=request.POST.get("value", ""),
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "别名已添加，之后的导入即可识别。")
            return redirect("households:codes")
    aliases: dict[str, list[CodeAlias]] = {}
    for alias in CodeAlias.objects.all():
        aliases.setdefault(alias.column, []).append(alias)
    known = code_lists()
    lists = [
        {"column": c, "label": label, "values": known[c].values, "aliases": aliases.get(c)}
        for c, label in CODED_COLUMNS.items()
    ]
    can_edit = user_scope(request.user).has(Cap.USERS_MANAGE)
    return render(request, "households/codes.html", {"lists": lists, "can_edit": can_edit})
