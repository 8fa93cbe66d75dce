from django.urls import path

from fupin.photos import views

app_name = "photos"
urlpatterns = [
    path("", views.index, name="index"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("items/<int:record_id>/", views.photo_detail, name="photo_detail"),
    path("items/<int:record_id>/thumbnail.jpg", views.thumbnail, name="thumbnail"),
]
