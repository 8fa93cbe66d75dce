from django.urls import path

from fupin.households import views
from fupin.households.files import rollup_views
from fupin.households.files import views as file_views
from fupin.households.registry import code_views, import_views
from fupin.households.registry import views as registry_views

app_name = "households"
urlpatterns = [
    path("", registry_views.index, name="index"),
    path("<int:household_id>/", views.detail, name="detail"),
    path("<int:household_id>/documents/", file_views.document_add, name="document_add"),
    path(
        "<int:household_id>/documents/<int:document_id>/remove/",
        file_views.document_remove,
        name="document_remove",
    ),
    path("<int:household_id>/exit-accept/", file_views.exit_accept, name="exit_accept"),
    path("<int:household_id>/officers/", file_views.officer_add, name="officer_add"),
    path("<int:household_id>/measures/", file_views.measure_add, name="measure_add"),
    path("<int:household_id>/incomes/", file_views.income_set, name="income_set"),
    path("<int:household_id>/relocation/", file_views.relocation_link, name="relocation_link"),
    path("completeness/", rollup_views.completeness, name="completeness"),
    path("completeness/<str:code>/todo.xlsx", rollup_views.todo_export, name="todo_export"),
    path("batches/<int:batch_id>/", registry_views.batch, name="batch"),
    path("import/", import_views.import_sheet, name="import"),
    path("codes/", code_views.code_lists_page, name="codes"),
    path("import/errors/<str:token>/", import_views.import_errors, name="import_errors"),
    path("import/<str:token>/", import_views.import_job, name="import_job"),
    path("import/<str:token>/apply/", import_views.import_apply, name="import_apply"),
]
