"""Committee packs (METHODOLOGY 6) as pure functions: a PackData in, PDF or XLSX bytes out.

No ORM and no request here (STYLE.md 7): `reporting.selectors.pack_data` reads the
stored ratings once, and these functions only lay them out, so they are tested with
hand-made frames. Text comes through gettext, so a pack is written in the language
active while it is built.

The PDF: a cover, contents, then the committee's sections (METHODOLOGY 6; `sections.SECTIONS`:
level summary, decisions recorded since the committee's previous pack was built, the RAG
scorecard, an exception page per provider at level 3 or 4 or with a Red area, data completeness
with the returns not received, contracts due for renewal, provider summits held, the corporate
risk register), for the providers in the committee's scope, with page numbers. The workbook:
one sheet per section.

Text from the data (provider names, notes, plans) is never read as reportlab markup: `PdfPack.p`
escapes it, and the contents and bookmarks escape headings again (tests/reporting/test_pack_escaping.py).

A provider whose return for the month was not received is "No return" wherever a rating
would be (never Red); an overridden area carries a mark (an Access override counts for both
USC and Planned); a pack built before the month's collection deadline says it is provisional.

The modules:

- `data`: PackData, ExceptionPage, ChartData and the frames' columns;
- `presentation`: months, RAG words, arrows, levels and shades, shared by both files;
- `sections`: the registry of sections (code, title, PDF builder, workbook builder) and
  `render_pdf` / `render_xlsx`;
- `pdf`: the PDF's plumbing (fonts, styles, page templates, header and footer, contents);
  `pdf_sections`: what each section of the PDF says;
- `xlsx`: the workbook, a builder per section.

Which months a pack covers is methodology: `assurance.rules.covered_from`.
"""

from typing import TYPE_CHECKING

from .data import (
    COMPLETENESS_COLUMNS,
    CORPORATE_RISK_COLUMNS,
    DECISION_COLUMNS,
    EXCEPTION_INDICATOR_COLUMNS,
    NO_RETURN_COLUMNS,
    RENEWAL_COLUMNS,
    SCORECARD_AREAS,
    SCORECARD_COLUMNS,
    SUMMIT_COLUMNS,
    ChartData,
    ExceptionPage,
    PackData,
)
from .presentation import (
    arrow,
    chart_months,
    direction_word,
    is_received,
    is_set,
    level_meaning,
    months_text,
    no_return_word,
    provisional_text,
    rag_word,
)

if TYPE_CHECKING:
    from .sections import SECTIONS, render_pdf, render_xlsx, section_titles

# The builders load reportlab, which a web process only needs when it builds a pack (the
# build runs in a worker): they are imported on first use, as reportlab was before.
_BUILDERS = {"SECTIONS", "render_pdf", "render_xlsx", "section_titles"}


def __getattr__(name):
    if name in _BUILDERS:
        from . import sections  # noqa: PLC0415 - the builders load reportlab, plotly and matplotlib (heavy): only a pack build needs them

        return getattr(sections, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COMPLETENESS_COLUMNS",
    "CORPORATE_RISK_COLUMNS",
    "DECISION_COLUMNS",
    "EXCEPTION_INDICATOR_COLUMNS",
    "NO_RETURN_COLUMNS",
    "RENEWAL_COLUMNS",
    "SCORECARD_AREAS",
    "SCORECARD_COLUMNS",
    "SECTIONS",
    "SUMMIT_COLUMNS",
    "ChartData",
    "ExceptionPage",
    "PackData",
    "arrow",
    "chart_months",
    "direction_word",
    "is_received",
    "is_set",
    "level_meaning",
    "months_text",
    "no_return_word",
    "provisional_text",
    "rag_word",
    "render_pdf",
    "render_xlsx",
    "section_titles",
]
