import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Indicator


class IndicatorTable(tables.Table):
    name = tables.Column(verbose_name=_("Indicator"))
    area = tables.Column(verbose_name=_("Key area"))
    domain = tables.Column(verbose_name=_("Domain"))
    cohort = tables.Column(verbose_name=_("Cohort"))
    unit = tables.Column(verbose_name=_("Unit"))
    target = tables.TemplateColumn(template_name="assurance/cells/target.html", verbose_name=_("Target"))
    critical = tables.BooleanColumn(verbose_name=_("Critical"), yesno=(_("Yes"), _("No")))
    active = tables.BooleanColumn(verbose_name=_("Active"), yesno=(_("Yes"), _("No")))
    actions = tables.TemplateColumn(
        template_name="providers/cells/edit_link.html",
        verbose_name=_("Actions"),
        orderable=False,
        extra_context={"edit_url_name": "assurance:indicator_update", "change_perm": "assurance.change_indicator"},
    )

    class Meta:
        model = Indicator
        fields = ["name", "area", "domain", "cohort", "unit", "target", "critical", "active", "actions"]
        order_by = ("area", "name")
        empty_text = _("No indicators match these filters.")
