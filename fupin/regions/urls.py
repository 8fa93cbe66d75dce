from django.urls import path, re_path

from fupin.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/", views.units, name="units"),
    path("campaign-end/", views.campaign_end_page, name="campaign_end"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/active/", views.unit_active, name="unit_active"),
    path("units/<int:unit_id>/villages/", views.unit_villages, name="unit_villages"),
    re_path(r"^(?P<code>[0-9]{2,12})/$", views.detail, name="detail"),
]
