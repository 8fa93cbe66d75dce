from django.urls import path

from fupin.transfer import views

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:unit_id>/sync/", views.sync, name="sync"),
    path("batches/<int:transfer_id>/", views.batch, name="batch"),
    path("batches/<int:transfer_id>/<str:form>.<str:fmt>", views.print_form, name="print"),
    path("holdings/", views.holdings, name="holdings"),
]
