"""Tables for the provider, service and team lists (sortable; paginated by the view)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import CommissioningTeam, Provider, Service


class ProviderTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Provider"))
    code = tables.Column(verbose_name=_("Code"))
    sector = tables.Column(verbose_name=_("Sector"))
    country = tables.Column(verbose_name=_("Country"))
    intervention_level = tables.TemplateColumn(
        template_name="providers/cells/intervention_level.html", verbose_name=_("Intervention level")
    )
    contract_count = tables.Column(verbose_name=_("Contracts"), attrs={"td": {"class": "app-numeric"}})
    active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))

    class Meta:
        model = Provider
        fields = ["name", "code", "sector", "country", "intervention_level", "contract_count", "active"]
        order_by = "name"
        empty_text = _("No providers match these filters.")


class ServiceTable(tables.Table):
    name = tables.Column(verbose_name=_("Service"))
    code = tables.Column(verbose_name=_("Code"))
    commissioning_team = tables.Column(verbose_name=_("Commissioning team"), order_by="commissioning_team__name")
    contract_count = tables.Column(verbose_name=_("Contracts"), attrs={"td": {"class": "app-numeric"}})
    active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    actions = tables.TemplateColumn(
        template_name="providers/cells/edit_link.html",
        verbose_name=_("Actions"),
        orderable=False,
        extra_context={"edit_url_name": "providers:service_update", "change_perm": "providers.change_service"},
    )

    class Meta:
        model = Service
        fields = ["name", "code", "commissioning_team", "contract_count", "active", "actions"]
        order_by = "name"
        empty_text = _("No services match these filters.")


class TeamTable(tables.Table):
    name = tables.Column(verbose_name=_("Team"))
    code = tables.Column(verbose_name=_("Code"))
    service_count = tables.Column(verbose_name=_("Services"), attrs={"td": {"class": "app-numeric"}})
    contract_count = tables.Column(verbose_name=_("Contracts"), attrs={"td": {"class": "app-numeric"}})
    member_count = tables.Column(verbose_name=_("Members"), attrs={"td": {"class": "app-numeric"}})
    active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    actions = tables.TemplateColumn(
        template_name="providers/cells/edit_link.html",
        verbose_name=_("Actions"),
        orderable=False,
        extra_context={"edit_url_name": "providers:team_update", "change_perm": "providers.change_commissioningteam"},
    )

    class Meta:
        model = CommissioningTeam
        fields = ["name", "code", "service_count", "contract_count", "member_count", "active", "actions"]
        order_by = "name"
        empty_text = _("There are no commissioning teams yet.")
