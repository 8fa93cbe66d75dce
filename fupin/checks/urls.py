from django.urls import path

from fupin.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/report.pdf", views.run_pdf_view, name="run_pdf"),
]
