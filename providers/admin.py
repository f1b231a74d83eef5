"""Django admin: where register administrators manage users and their teams and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import CommissioningTeam, Provider, Service, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Commissioning"), {"fields": ("teams", "is_service_director", "is_executive_director", "is_chief_executive")}),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("teams",)
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = BaseUserAdmin.list_filter + ("teams",)


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "sector", "country", "intervention_level", "active")
    list_filter = ("sector", "country", "intervention_level", "active")
    search_fields = ("code", "name")


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "commissioning_team", "active")
    list_filter = ("commissioning_team", "active")
    search_fields = ("code", "name")


@admin.register(CommissioningTeam)
class CommissioningTeamAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "active")
