from django.urls import path

from fupin.custody import views

app_name = "custody"
urlpatterns = [
    path("", views.index, name="index"),
    path("unplaced/", views.unplaced, name="unplaced"),
    path("limits/", views.limits, name="limits"),
    path("rooms/<int:room_id>/", views.room, name="room"),
    path("rooms/<int:room_id>/shelves/", views.shelf_add, name="shelf_add"),
    path("rooms/<int:room_id>/readings/", views.reading_add, name="reading_add"),
    path("rooms/<int:room_id>/shelve/", views.shelve, name="shelve"),
    path("rooms/<int:room_id>/checks/", views.check_plan, name="check_plan"),
    path("checks/<int:check_id>/", views.check, name="check"),
    path("checks/<int:check_id>/all-here/", views.check_all_here, name="check_all_here"),
    path("checks/<int:check_id>/finish/", views.check_finish, name="check_finish"),
    path("boxes/<int:box_id>/", views.box_place, name="box"),
    path("volumes/<int:volume_id>/", views.volume_place, name="volume"),
]
