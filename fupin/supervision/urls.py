from django.urls import path

from fupin.supervision import views
from fupin.supervision.inspections import guidance_views
from fupin.supervision.inspections import views as inspection_views
from fupin.supervision.reports import views as report_views
from fupin.supervision.rules import views as rules_views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/build/", report_views.build, name="build"),
    path("reports/<int:report_id>/", report_views.report, name="report"),
    path("reports/<int:report_id>/trace/<str:key>/", report_views.report_trace, name="trace"),
    path("reports/<int:report_id>/report.pdf", report_views.report_print, name="print"),
    path("reports/<int:report_id>/report.xlsx", report_views.report_workbook, name="workbook"),
    path("regions/<str:code>/ledger/", report_views.region_ledger, name="ledger"),
    path("inspections/", inspection_views.inspections, name="inspections"),
    path("inspections/new/", inspection_views.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/", inspection_views.inspection, name="inspection"),
    path(
        "inspections/<int:inspection_id>/evidence/<int:evidence_id>/",
        inspection_views.evidence_file,
        name="evidence",
    ),
    path("assessments/", inspection_views.assessments, name="assessments"),
    path("assessments/rate/", inspection_views.assessment_rate, name="assessment_rate"),
    path("guidance/", guidance_views.guidance, name="guidance"),
    path("checklists/new/", inspection_views.checklist_new, name="checklist_new"),
    path("orders/<int:order_id>/close/", inspection_views.order_close, name="order_close"),
    path("rules/", rules_views.rule_index, name="rules"),
    path("rules/<int:rule_id>/", rules_views.rule_detail, name="rule"),
    path("rules/<int:rule_id>/submit/", rules_views.rule_submit, name="rule_submit"),
    path("rules/<int:rule_id>/decide/", rules_views.rule_decide, name="rule_decide"),
]
