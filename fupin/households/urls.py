from django.urls import path

from fupin.households import views

app_name = "households"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:household_id>/", views.detail, name="detail"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
]
