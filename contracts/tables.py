"""The contract register's table."""

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Contract


class MoneyColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return "£" + number_format(value, 0, use_l10n=True, force_grouping=True)  # grouped as the language writes it


class ContractTable(tables.Table):
    reference = tables.Column(linkify=True, verbose_name=_("Reference"))
    provider = tables.Column(
        accessor="provider__name",
        verbose_name=_("Provider"),
        order_by="provider__name",
        linkify=lambda record: record.provider.get_absolute_url(),
    )
    title = tables.Column(verbose_name=_("Title"))
    contract_type = tables.Column(verbose_name=_("Type"))
    status = tables.TemplateColumn(template_name="contracts/cells/status.html", verbose_name=_("Status"))
    commissioning_team = tables.Column(verbose_name=_("Team"), order_by="commissioning_team__name")
    annual_value = MoneyColumn(verbose_name=_("Annual value"))
    total_value = MoneyColumn(verbose_name=_("Total value"))
    tier = tables.Column(verbose_name=_("Tier"))
    renewal_due = tables.TemplateColumn(template_name="contracts/cells/renewal.html", verbose_name=_("Renewal"))

    class Meta:
        model = Contract
        fields = [
            "reference",
            "provider",
            "title",
            "contract_type",
            "status",
            "commissioning_team",
            "annual_value",
            "total_value",
            "tier",
            "renewal_due",
        ]
        order_by = "reference"
        empty_text = _("No contracts match these filters.")
