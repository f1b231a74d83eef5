"""The scorecard's rows, built in Python.

A page of the dashboard has fifty rows of nine cells, each a RAG or level tag with its arrow:
through the template engine that was some 800 tag calls and most of the page's time (the
benchmark's dashboard figure). Here each row is joined from the cached fragments of
providers.templatetags.nhsuk (the same as {% status %} and {% arrow %} give, built once per value
and language) and the provider's name, escaped. The markup is the same as the template's was.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assurance.choices import Rag
from contracts.choices import Level
from providers.templatetags.nhsuk import (
    arrow_html,
    no_return_html,
    overridden_html,
    status_html,
)

register = template.Library()

CELL = '<td class="nhsuk-table__cell">'


@register.simple_tag
def scorecard_row(row, link):
    """One provider's <tr>: name (a link when the reader may open the provider's page), USC and
    Planned access, the four other areas, recommended and escalation levels, with arrows.

    An overridden area carries the override mark (an Access override shows under both USC and
    Planned); a month whose return was not received says "No return" in every rating cell and
    keeps the escalation level."""
    language = get_language()
    provider, rating = row["provider"], row["rating"]
    name = (
        format_html('<a href="{}">{}</a>', provider.get_absolute_url(), provider.name)
        if link
        else conditional_escape(provider.name)
    )
    overdue = (
        format_html('<br><strong class="nhsuk-tag nhsuk-tag--white">{}</strong>', _("Meeting overdue"))
        if row["overdue_meetings"]
        else ""
    )
    if rating.received:
        overridden = overridden_html(language)
        cells = [
            f"{CELL}{status_html(Rag, rag, language)}{overridden if is_overridden else ''} "
            f"{arrow_html(direction, language)}</td>"
            for rag, direction, is_overridden in (row["usc"], row["planned"])
        ]
        cells += [
            f"{CELL}{status_html(Rag, rag, language)}{overridden if is_overridden else ''} "
            f"{arrow_html(direction, language)}</td>"
            for _area, rag, direction, is_overridden in row["areas"]
        ]
        cells.append(
            f"{CELL}{status_html(Level, rating.recommended_level, language)} "
            f"{arrow_html(rating.level_direction, language)}</td>"
        )
    else:
        cells = [f"{CELL}{no_return_html(language)}</td>"] * (2 + len(row["areas"]) + 1)
    pending = (
        format_html(
            '<br><span class="app-small">{}</span>',
            _("step-down to %(level)s proposed") % {"level": rating.pending_step_down},
        )
        if rating.pending_step_down
        else ""
    )
    cells.append(
        f"{CELL}{status_html(Level, rating.escalation_level, language)} "
        f"{arrow_html(row['escalation_direction'], language)}{pending}</td>"
    )
    return mark_safe(  # noqa: S308 - every part above is escaped or built by format_html  # nosec B308 B703
        f'<tr class="nhsuk-table__row"><th scope="row" class="nhsuk-table__header app-scorecard__provider">'
        f"{name}{overdue}</th>{''.join(cells)}</tr>"
    )
