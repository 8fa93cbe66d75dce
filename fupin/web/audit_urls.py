from django.urls import path, re_path

from fupin.web import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_index, name="index"),
    path("verify/", audit_views.audit_verify_view, name="verify"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", audit_views.audit_export, name="export"),
]
