from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from providers.mfa import protect_admin_site
from providers.oidc import oidc_callback, oidc_start

from . import site_views as views

# The Django admin: 404 unless ADMIN_ENABLED, and then for superusers with a second factor only.
protect_admin_site()
admin.site.site_header = _("Provider assurance administration")
admin.site.site_title = _("Provider assurance")

urlpatterns = [
    path("", include("reporting.home_urls")),  # the home page: each person's work queue (issue 17)
    path("health/", views.health, name="health"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_switch, name="language_switch"),
    path("admin/", admin.site.urls),
    path("", include("providers.account_urls")),  # your account, password, two-factor (issue 15)
    path("", include("providers.people_urls")),  # people management for administrators
    path("oidc/authenticate/", oidc_start, name="oidc_authentication_init"),  # single sign-on
    path("oidc/callback/", oidc_callback, name="oidc_authentication_callback"),
    path("", include("providers.urls")),
    path("", include("contracts.urls")),
    path("", include("assurance.returns_urls")),
    path("", include("escalation.urls")),
    path("", include("reporting.urls")),
    path("api/v1/", include("reporting.api.urls")),  # the API (issue 21), its schema and docs
    path("account/tokens/", include("reporting.api.account_urls")),  # personal API tokens
]
