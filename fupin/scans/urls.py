from django.urls import path

from fupin.scans import views

app_name = "scans"
urlpatterns = [
    path("items/<int:record_id>/", views.item_scans, name="item"),
    path("items/<int:record_id>/ocr/", views.ocr_again, name="ocr_again"),
    path("items/<int:record_id>/progress.json", views.progress, name="progress"),
    path("items/<int:record_id>/searchable.pdf", views.searchable_pdf, name="searchable_pdf"),
    path(
        "items/<int:record_id>/pages/<int:page>/thumbnail.jpg",
        views.thumbnail,
        name="thumbnail",
    ),
]
