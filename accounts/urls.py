from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/done/", views.signup_done, name="signup-done"),
    path("accounts/confirm/resend/", views.resend_confirmation, name="resend-confirmation"),
    path("accounts/confirm/<str:token>/", views.confirm, name="confirm-email"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/delete/", views.delete_account, name="delete"),
]
