from django.urls import path, re_path

from fupin.records import printviews, views

app_name = "records"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:unit_id>/", views.workspace, name="workspace"),
    path("units/<int:unit_id>/items/new/", views.item_new, name="item_new"),
    path("units/<int:unit_id>/fonds/", views.fonds, name="fonds"),
    path("units/<int:unit_id>/classes/", views.class_add, name="class_add"),
    path("units/<int:unit_id>/arrange/", views.arrange, name="arrange"),
    path("units/<int:unit_id>/lock/", views.lock, name="lock"),
    path("units/<int:unit_id>/box/", views.box, name="box"),
    path("units/<int:unit_id>/stamps.pdf", printviews.stamps, name="stamps"),
    re_path(
        r"^units/(?P<unit_id>\d+)/catalogue\.(?P<fmt>pdf|xlsx)$",
        printviews.catalogue,
        name="catalogue",
    ),
    path("items/<int:record_id>/", views.item_detail, name="item_detail"),
    path("items/<int:record_id>/files/", views.item_upload, name="item_upload"),
    path("items/<int:record_id>/files/<int:file_id>/", printviews.item_file, name="item_file"),
    path("units/<int:unit_id>/volumes/", views.volume_new, name="volume_new"),
    re_path(
        r"^volumes/(?P<volume_id>\d+)/(?P<form>list|note|cover)\.pdf$",
        printviews.volume_form,
        name="volume_form",
    ),
    re_path(
        r"^boxes/(?P<box_id>\d+)/(?P<form>spine|note)\.pdf$", printviews.box_form, name="box_form"
    ),
]
