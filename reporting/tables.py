"""Tables for reporting's lists (django-tables2): the committees administrators keep."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from providers.roles import ROLE_LABELS

from .models import Committee


class CommitteeTable(tables.Table):
    name = tables.Column(verbose_name=_("Committee"))
    code = tables.Column(verbose_name=_("Code"))
    cadence = tables.Column(verbose_name=_("Meets"))
    scope = tables.Column(verbose_name=_("Providers in scope"))
    sections = tables.Column(verbose_name=_("Sections"), orderable=False)
    readers = tables.Column(verbose_name=_("Read by"), orderable=False)
    active = tables.BooleanColumn(verbose_name=_("In use"), yesno=(_("Yes"), _("No")))
    actions = tables.TemplateColumn(
        template_name="providers/cells/edit_link.html",
        verbose_name=_("Actions"),
        orderable=False,
        extra_context={"edit_url_name": "reporting:committee_update", "change_perm": "reporting.change_committee"},
    )

    class Meta:
        model = Committee
        fields = ["name", "code", "cadence", "scope", "sections", "readers", "active", "actions"]
        order_by = "name"
        empty_text = _("There are no committees yet.")

    def render_sections(self, value):
        from . import packs  # noqa: PLC0415 - the registry loads reportlab: only this administrators' page needs it

        titles = packs.section_titles()
        return ", ".join(titles.get(code, code) for code in value)

    def render_readers(self, value):
        return ", ".join(sorted(str(ROLE_LABELS.get(group.name, group.name)) for group in value.all()))
