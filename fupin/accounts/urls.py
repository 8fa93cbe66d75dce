from django.urls import path

from fupin.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<int:user_id>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:user_id>/roles/", views.role_grant, name="role_grant"),
    path("users/<int:user_id>/clearance/", views.user_set_clearance, name="user_clearance"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        views.role_revoke,
        name="role_revoke",
    ),
]
