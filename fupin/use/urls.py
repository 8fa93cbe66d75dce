from django.urls import path

from fupin.use import views

app_name = "use"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/to-decide/", views.to_decide, name="to_decide"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/approve/", views.approve, name="approve"),
    path("requests/<int:request_id>/refuse/", views.refuse, name="refuse"),
    path("requests/<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("loans/", views.loans, name="loans"),
    path("loans/overdue/", views.overdue, name="overdue"),
    path("loans/<int:loan_id>/return/", views.loan_return, name="loan_return"),
]
