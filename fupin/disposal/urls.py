from django.urls import path, re_path

from fupin.disposal import views

app_name = "disposal"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:unit_id>/group/", views.group, name="group"),
    path("units/<int:unit_id>/appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("appraisals/<int:appraisal_id>/", views.appraisal, name="appraisal"),
    re_path(
        r"^appraisals/(?P<appraisal_id>\d+)/form\.(?P<fmt>pdf|xlsx)$",
        views.appraisal_print,
        name="appraisal_print",
    ),
    path("registers/<int:register_id>/", views.register, name="register"),
    re_path(
        r"^registers/(?P<register_id>\d+)/register\.(?P<fmt>pdf|xlsx)$",
        views.register_print,
        name="register_print",
    ),
    path("registers/<int:register_id>/certificate.pdf", views.certificate, name="certificate"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path("opening/", views.opening, name="opening"),
    path("walkins/", views.walkins, name="walkins"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/<int:certificate_id>/", views.certificate_detail, name="certificate"),
    path(
        "certificates/<int:certificate_id>/certificate.pdf",
        views.certificate_print,
        name="certificate_print",
    ),
]
