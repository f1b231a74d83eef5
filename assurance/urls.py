from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import site_views as views

admin.site.site_header = _("Provider assurance administration")
admin.site.site_title = _("Provider assurance")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_switch, name="language_switch"),
    path("admin/", admin.site.urls),
    path("", include("providers.urls")),
    path("", include("contracts.urls")),
    path("", include("assurance.returns_urls")),
    path("", include("escalation.urls")),
    path("", include("reporting.urls")),
]
