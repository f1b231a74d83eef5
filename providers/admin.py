"""Django admin: where register administrators manage users and their teams and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import CommissioningTeam, Provider, RoleGrant, Service, User
from .services import DIRECTOR_LEVEL_FIELDS, user_roles_refusal, user_roles_set


def form_director_levels(cleaned_data):
    """The director levels a user form asks for, or None if it has no such fields."""
    if not all(name in cleaned_data for name in DIRECTOR_LEVEL_FIELDS.values()):
        return None
    return [level for level, name in DIRECTOR_LEVEL_FIELDS.items() if cleaned_data[name]]


def form_roles(cleaned_data):
    groups = cleaned_data.get("groups")
    return None if groups is None else [group.name for group in groups]


class RoleGrantInline(admin.TabularInline):
    """The user's grants, newest first: read only (the audit is never edited)."""

    model = RoleGrant
    fk_name = "user"
    fields = readonly_fields = ("at", "kind", "old", "new", "acting_user")
    extra = 0
    can_delete = False
    verbose_name_plural = _("Changes to roles, teams and director levels")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users, their roles, teams and director levels. Roles, teams and director levels are saved
    through providers.services.user_roles_set, so every grant made here is audited (RoleGrant),
    and nobody changes their own or makes a superuser (DESIGN.md)."""

    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Commissioning"),
            {"fields": ("teams", "is_service_director", "is_executive_director", "is_chief_executive")},
        ),
    )
    filter_horizontal = BaseUserAdmin.filter_horizontal + ("teams",)
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = BaseUserAdmin.list_filter + ("teams",)
    # Nobody is made a superuser here, and nothing is granted around the audited roles (a
    # permission given to one person directly would be).
    readonly_fields = ("is_superuser", "user_permissions")
    inlines = [RoleGrantInline]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        acting_user = request.user

        class AuditedUserForm(form_class):
            def clean(self):
                cleaned = super().clean()
                refusal = user_roles_refusal(
                    user=self.instance,
                    acting_user=acting_user,
                    roles=form_roles(cleaned),
                    director_levels=form_director_levels(cleaned),
                )
                if refusal:
                    raise ValidationError(refusal)
                return cleaned

        return AuditedUserForm

    def save_model(self, request, obj, form, change):
        # The levels are granted by user_roles_set in save_related; the row keeps what it had.
        form.director_levels = form_director_levels(form.cleaned_data)
        if form.director_levels is not None:
            stored = User.objects.filter(pk=obj.pk).values(*DIRECTOR_LEVEL_FIELDS.values()).first() if change else {}
            for name in DIRECTOR_LEVEL_FIELDS.values():
                setattr(obj, name, (stored or {}).get(name, False))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Roles and teams are taken out of the form's own many-to-many save and granted here.
        roles = form_roles(form.cleaned_data)
        teams = form.cleaned_data.pop("teams", None)
        form.cleaned_data.pop("groups", None)
        super().save_related(request, form, formsets, change)
        user_roles_set(
            user=form.instance,
            acting_user=request.user,
            roles=roles,
            teams=None if teams is None else [team.code for team in teams],
            director_levels=getattr(form, "director_levels", None),
        )


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """The audit of grants: read only."""

    list_display = ("at", "user", "kind", "old", "new", "acting_user")
    list_filter = ("kind",)
    search_fields = ("user__username", "acting_user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
