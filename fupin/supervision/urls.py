from django.urls import path

from fupin.supervision import rules_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/build/", views.build, name="build"),
    path("reports/<int:report_id>/", views.report, name="report"),
    path("reports/<int:report_id>/trace/<str:key>/", views.report_trace, name="trace"),
    path("reports/<int:report_id>/report.pdf", views.report_print, name="print"),
    path("reports/<int:report_id>/report.xlsx", views.report_workbook, name="workbook"),
    path("regions/<str:code>/ledger/", views.region_ledger, name="ledger"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<int:inspection_id>/", views.inspection, name="inspection"),
    path("orders/<int:order_id>/close/", views.order_close, name="order_close"),
    path("rules/", rules_views.rule_index, name="rules"),
    path("rules/<int:rule_id>/", rules_views.rule_detail, name="rule"),
    path("rules/<int:rule_id>/submit/", rules_views.rule_submit, name="rule_submit"),
    path("rules/<int:rule_id>/decide/", rules_views.rule_decide, name="rule_decide"),
]
