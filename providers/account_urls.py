"""Your account: /account/ (issue 15). The index is `account:index`."""

from django.urls import path

from . import account_views as views

app_name = "account"

urlpatterns = [
    path("account/", views.account_index, name="index"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/", views.mfa_verify, name="mfa_verify"),
    path("account/two-factor/set-up/", views.mfa_setup, name="mfa_setup"),
    path("account/two-factor/recovery-codes/", views.recovery_codes_new, name="recovery_codes"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/invitation/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("account/password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
