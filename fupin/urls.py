from django.urls import include, path

from fupin.api import api
from fupin.web import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change_view, name="password_change"),
    path("regions/", include("fupin.regions.urls")),
    path("schedule/", include("fupin.schedule.urls")),
    path("records/", include("fupin.records.urls")),
    path("households/", include("fupin.households.urls")),
    path("photos/", include("fupin.photos.urls")),
    path("use/", include("fupin.use.urls")),
    path("custody/", include("fupin.custody.urls")),
    path("scans/", include("fupin.scans.urls")),
    path("supervision/", include("fupin.supervision.urls")),
    path("manage/", include("fupin.accounts.urls")),
    path("audit/", include("fupin.web.audit_urls")),
    path("search/", include("fupin.search.urls")),
    path("checks/", include("fupin.checks.urls")),
    path("disposal/", include("fupin.disposal.urls")),
    path("transfer/", include("fupin.transfer.urls")),
    path("public/", include("fupin.disposal.public_urls")),
    path("api/v1/", api.urls),
]

handler500 = "fupin.web.views.server_error"
