from django.urls import path

from fupin.schedule import views

app_name = "schedule"
urlpatterns = [
    path("", views.index, name="index"),
    path("refinements/", views.refinements, name="refinements"),
    path("refinements/new/", views.refinement_create, name="refinement_create"),
    path("refinements/<int:refinement_id>/", views.refinement_detail, name="refinement_detail"),
    path("refinements/<int:refinement_id>/items/", views.item_add, name="item_add"),
    path(
        "refinements/<int:refinement_id>/items/<int:item_id>/remove/",
        views.item_remove,
        name="item_remove",
    ),
    path("refinements/<int:refinement_id>/submit/", views.submit, name="submit"),
    path("refinements/<int:refinement_id>/decide/", views.decide, name="decide"),
]
