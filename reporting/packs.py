"""Committee packs (METHODOLOGY 6) as pure functions: a PackData in, PDF or XLSX bytes out.

No ORM and no request here (STYLE.md 7): `reporting.selectors.pack_data` reads the
stored ratings once, and these functions only lay them out, so they are tested with
hand-made frames. Text comes through gettext, so a pack is written in the language
active while it is built.

The PDF: a cover, contents, then one section per part of METHODOLOGY 6 (level summary,
decisions since the committee's previous pack, the RAG scorecard, an exception page per
provider at level 3 or 4 or with a Red area, data completeness with the returns not
received, contracts due for renewal), with page numbers. The workbook: one sheet per section.

A provider whose return for the month was not received is "No return" wherever a rating
would be (never Red); an overridden area carries a mark (an Access override counts for both
USC and Planned); a pack built before the month's collection deadline says it is provisional.
"""

import html
import io
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from providers.periods import add_months, shift

from . import charts, spc

SCORECARD_AREAS = ["quality_safety", "finance_activity", "patient_experience", "governance"]
SCORECARD_COLUMNS = [
    "provider", "code", "received", "usc", "usc_direction", "usc_overridden", "planned", "planned_direction",
    "planned_overridden",
    *SCORECARD_AREAS, *(f"{a}_direction" for a in SCORECARD_AREAS), *(f"{a}_overridden" for a in SCORECARD_AREAS),
    "recommended", "recommended_direction", "escalation", "escalation_direction", "pending_step_down",
]
NO_RETURN_COLUMNS = ["month", "provider", "code", "team", "state"]
DECISION_COLUMNS = ["date", "month", "provider", "from_level", "to_level", "kind", "reasons", "rationale", "decided_by"]
EXCEPTION_INDICATOR_COLUMNS = ["area", "indicator", "value", "target", "rag", "reason", "note"]
COMPLETENESS_COLUMNS = ["month", "team", "providers", "completeness", "timeliness", "overdue"]
RENEWAL_COLUMNS = ["reference", "provider", "title", "team", "annual_value", "renewal_date", "tier", "overdue"]


@dataclass
class ChartData:
    """One indicator's series for a trend chart on an exception page."""

    title: str
    unit: str
    target: float | None
    amber: float | None
    higher_is_better: bool
    values: pd.DataFrame          # period (date), value (float)
    trajectory: pd.DataFrame      # period (date), value (float)


@dataclass
class ExceptionPage:
    """A provider at level 3 or 4, or with a Red area: what its exception page shows."""

    provider: str
    code: str
    escalation_level: int | None
    recommended_level: int | None
    intervention: str
    areas: list                   # [(area label, effective RAG, computed RAG if overridden)]
    indicators: pd.DataFrame      # EXCEPTION_INDICATOR_COLUMNS: its Red and Amber indicators
    charts: list = field(default_factory=list)   # [ChartData]
    plans: list = field(default_factory=list)    # [{title, area, indicator, actions, owner, next_review}]
    received: bool = True         # False: no return this month, so nothing rated (it keeps its level)


@dataclass
class PackData:
    committee: str
    committee_name: str
    period: date
    period_from: date
    months: list
    built_on: date
    levels: pd.DataFrame          # level, providers, before, recommended
    pending_step_downs: int
    decisions: pd.DataFrame       # DECISION_COLUMNS
    scorecard: pd.DataFrame       # SCORECARD_COLUMNS
    exceptions: list              # [ExceptionPage]
    completeness: pd.DataFrame    # COMPLETENESS_COLUMNS
    renewals: pd.DataFrame        # RENEWAL_COLUMNS
    renewals_from: date
    # The providers in scope whose return was not received, per month covered (NO_RETURN_COLUMNS).
    no_returns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NO_RETURN_COLUMNS))
    # The month's collection deadline when the pack was built on or before it (ratings provisional).
    provisional_until: date | None = None


def covered_from(period, previous_pack_period, cadence_months, max_months=12):
    """The first month a pack covers: the month after the committee's previous pack, or,
    for a first pack, one cadence back (two months for the bi-monthly Joint Committee).
    Never more than `max_months` months, and never after the pack's own month."""
    if previous_pack_period is None or previous_pack_period >= period:
        start = shift(period, -(cadence_months - 1))
    else:
        start = shift(previous_pack_period, 1)
    return max(start, shift(period, -(max_months - 1)))


def months_text(months):
    """'October 2026', or 'September and October 2026', or 'August to October 2026'."""
    if not months:
        return ""
    first, last = months[0], months[-1]
    if first == last:
        return date_format(last, "F Y")
    same_year = first.year == last.year
    start = date_format(first, "F" if same_year else "F Y")
    if len(months) == 2:
        return _("%(first)s and %(last)s") % {"first": start, "last": date_format(last, "F Y")}
    return _("%(first)s to %(last)s") % {"first": start, "last": date_format(last, "F Y")}


def rag_word(rag):
    return {"G": _("Green"), "A": _("Amber"), "R": _("Red")}.get(rag or "", _("Not rated"))


def arrow(direction):
    return {"improved": "▲", "worsened": "▼", "unchanged": "▶"}.get(direction or "", "")


def direction_word(direction):
    """The arrow as a word, for the workbook: Improved, Unchanged or Worsened (blank: no arrow)."""
    return {"improved": _("Improved"), "worsened": _("Worsened"), "unchanged": _("Unchanged")}.get(direction or "", "")


def no_return_word():
    return _("No return")


def is_received(record):
    """Whether a scorecard record's return was received; a frame without the column (or a
    blank in it) counts as received."""
    value = record.get("received", True)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    return bool(value)


def is_set(value):
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and bool(value)


def provisional_text(data):
    """The provisional notice, or "" when the pack was built after the month's collection deadline."""
    if not data.provisional_until:
        return ""
    return _("Provisional: returns for %(month)s are due by %(date)s; ratings may change until then.") % {
        "month": date_format(data.period, "F Y"), "date": date_format(data.provisional_until, "j F Y")}


def level_meaning(level):
    return {
        1: _("Routine monitoring"),
        2: _("Enhanced monitoring; Service Director informed"),
        3: _("Escalated monitoring; Executive Director informed; monthly meetings"),
        4: _("Escalated monitoring; Chief Executive informed; reported to the Board"),
    }[level]


def section_titles():
    return {
        "levels": _("Level summary"),
        "decisions": _("Escalation decisions"),
        "scorecard": _("Provider scorecard"),
        "exceptions": _("Exception reports"),
        "completeness": _("Data completeness"),
        "renewals": _("Contracts due for renewal"),
    }


# PDF ------------------------------------------------------------------------------------------

NHS_BLUE = "#005eb8"
TINTS = {"G": "#cce5d8", "A": "#ffdeab", "R": "#f7d4d1"}
FONT, FONT_BOLD = "PackSans", "PackSans-Bold"
SCORECARD_BLOCK = 30
PLACEHOLDER_PAGE = 888  # at least as wide as any real page number, so no entry wraps later


def _register_fonts():
    """DejaVu Sans, which matplotlib ships: it prints Welsh (ŵ, ŷ), £ and the arrows."""
    from pathlib import Path

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=6)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=26, leading=32,
                                textColor=colors.HexColor(NHS_BLUE), spaceAfter=12),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=0,
                             spaceAfter=8, textColor=colors.HexColor("#212b32")),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=4,
                             spaceAfter=6),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6,
                             spaceAfter=4),
        "contents": ParagraphStyle("contents", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=10),
        "toc0": ParagraphStyle("toc0", parent=base, fontName=FONT_BOLD, fontSize=10, leading=14),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=8.5, leading=11, leftIndent=14),
    }


def _esc(text):
    """Text for reportlab's paragraph markup: &, < and > escaped."""
    return html.escape(str(text if text is not None else ""), quote=False)


def _number(value, places=1):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"


def render_pdf(data: PackData) -> tuple[bytes, int]:
    """The pack as a PDF: (the file's bytes, its number of pages)."""
    from reportlab.graphics import renderPDF
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Flowable,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.doctemplate import IndexingFlowable
    from reportlab.platypus.tableofcontents import TableOfContents

    _register_fonts()
    styles = _styles()
    titles = section_titles()
    period_text = months_text(data.months)
    running_head = f"{data.committee_name} · {period_text}"

    class PageTotal(IndexingFlowable):
        """Takes no room; keeps the build going until 'Page n of N' printed the final N.

        multiBuild already makes passes until the contents settle; this adds one more
        whenever the number of pages printed differs from the number the pass ended with.
        """

        def __init__(self):
            super().__init__()
            self.printed, self.seen, self.passes = None, None, 0

        def beforeBuild(self):  # noqa: N802 - reportlab's name
            self.printed = self.seen
            self.passes += 1

        def isSatisfied(self):  # noqa: N802 - reportlab's name
            return self.printed == self.seen

        def wrap(self, available_width, available_height):
            return 0, 0

        def draw(self):
            pass

    total = PageTotal()

    class LaterChart(Flowable):
        """A trend chart drawn only once the layout is settled: the first pass needs its size,
        not its lines, and drawing every chart twice was a third of a large pack's time."""

        def __init__(self, chart, chart_width, chart_height):
            super().__init__()
            self.chart, self.width, self.height = chart, chart_width, chart_height

        def wrap(self, available_width, available_height):
            return self.width, self.height

        def draw(self):
            if total.passes < 2:
                return
            drawing, *_ = charts.spc_drawing(
                self.chart.values, months=axis, unit_label=self.chart.unit, target=self.chart.target,
                amber=self.chart.amber, higher_is_better=self.chart.higher_is_better,
                trajectory=self.chart.trajectory, width=self.width, height=self.height, font=FONT)
            renderPDF.draw(drawing, self.canv, 0, 0)

    class PackDocument(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
            """Headings go into the contents and the PDF's bookmarks."""
            style = getattr(flowable, "style", None)
            if not isinstance(flowable, Paragraph) or style is None or style.name not in ("h1", "h2"):
                return
            level = 0 if style.name == "h1" else 1
            text = flowable.getPlainText()
            key = f"h{id(flowable)}"  # as heading() predicted
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))

    def header_footer(canvas, doc):
        page_width, page_height = canvas._pagesize
        total.seen = doc.page
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#4c6272"))
        canvas.drawCentredString(page_width / 2, 10 * mm, _("Page %(n)s of %(total)s") % {
            "n": doc.page, "total": total.printed or "…"})
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#4c6272"))
        canvas.drawString(18 * mm, page_height - 12 * mm, running_head)
        canvas.drawRightString(page_width - 18 * mm, page_height - 12 * mm, _("OFFICIAL-SENSITIVE"))
        canvas.setStrokeColor(colors.HexColor("#d8dde0"))
        canvas.line(18 * mm, page_height - 14 * mm, page_width - 18 * mm, page_height - 14 * mm)
        canvas.restoreState()

    def cover(canvas, doc):
        total.seen = doc.page
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(NHS_BLUE))
        canvas.rect(0, A4[1] - 60 * mm, A4[0], 60 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(18 * mm, A4[1] - 25 * mm, _("Provider assurance"))
        canvas.setFont(FONT, 10)
        canvas.drawString(18 * mm, A4[1] - 32 * mm, _("Commissioning assurance framework"))
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 18 * mm, A4[1] - 25 * mm, _("OFFICIAL-SENSITIVE"))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = PackDocument(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                       bottomMargin=18 * mm, title=f"{data.committee_name}: {period_text}",
                       author=_("Provider assurance"), subject=_("Committee pack"), lang=_("en-GB"))
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    cover_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - 48 * mm, id="cover")
    # The scorecard has nine columns: it gets landscape pages.
    wide = landscape(A4)
    wide_frame = Frame(doc.leftMargin, doc.bottomMargin, wide[0] - doc.leftMargin - doc.rightMargin,
                       wide[1] - doc.topMargin - doc.bottomMargin, id="wide")
    doc.addPageTemplates([PageTemplate("cover", [cover_frame], onPage=cover),
                          PageTemplate("body", [frame], onPage=header_footer),
                          PageTemplate("wide", [wide_frame], onPage=header_footer, pagesize=wide)])
    width = doc.width
    wide_width = wide_frame._width

    def table(rows, widths, *, header=True, extra=()):
        """A data table; the header row repeats on every page it spans."""
        t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d8dde0")),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edee")),
                      ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#768692"))]
        t.setStyle(TableStyle(style + list(extra)))
        return t

    headings = []  # (level, text, page, key) as the contents will list them

    def heading(text, style):
        """A section (h1) or exception page (h2) heading, known to the contents in advance."""
        paragraph = Paragraph(_esc(text), styles[style])
        headings.append((0 if style == "h1" else 1, paragraph.getPlainText(), PLACEHOLDER_PAGE, f"h{id(paragraph)}"))
        return paragraph

    def p(text, style="cell"):
        return Paragraph(_esc(text), styles[style])

    def empty(text):
        return Paragraph(_esc(text), styles["body"])

    records = data.scorecard.to_dict("records")
    rated = sum(1 for r in records if is_received(r))
    provisional = provisional_text(data)

    def notice(text):
        """The provisional notice: bold, boxed, so it is seen and not only read."""
        box = Table([[Paragraph(_esc(text), styles["cellbold"])]], colWidths=[None])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#212b32")),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                                 ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        return [box, Spacer(1, 3 * mm)]

    story = [total, NextPageTemplate("body")]
    # Cover
    story += [
        Paragraph(_esc(data.committee_name), styles["title"]),
        Paragraph(_esc(_("Provider assurance report")), styles["subtitle"]),
        Paragraph(_esc(period_text), styles["subtitle"]),
        *(notice(provisional) if provisional else []),
        Spacer(1, 10 * mm),
        Paragraph(_esc(_("Prepared on %(date)s from the ratings stored for each month.") % {
            "date": date_format(data.built_on, "j F Y")}), styles["body"]),
        Paragraph(_esc(_(
            "Ratings follow the commissioning assurance framework: each indicator, key area and provider is "
            "rated Red, Amber or Green every month, and providers move between four escalation levels.")),
            styles["body"]),
        Spacer(1, 6 * mm),
        table([[p(_("In this pack"), "cellbold"), p("")]] + [
            [p(_("Providers rated")), p(str(rated))],
            *([[p(_("Providers with no return this month")), p(str(len(records) - rated))]]
              if len(records) > rated else []),
            [p(_("At level 3 or 4")), p(str(int(data.levels.loc[data.levels["level"] >= 3, "providers"].sum())))],
            [p(_("Escalation decisions in the period")), p(str(len(data.decisions)))],
            [p(_("Exception reports")), p(str(len(data.exceptions)))],
            [p(_("Contracts due for renewal within six months")), p(str(len(data.renewals)))],
        ], [width * 0.6, width * 0.4]),
        PageBreak(),
    ]
    # Contents
    toc = TableOfContents()
    toc.levelStyles = [styles["toc0"], styles["toc1"]]
    toc.dotsMinLevel = 0
    story += [Paragraph(_esc(_("Contents")), styles["contents"]), toc, PageBreak()]

    # 1. Level summary
    story.append(heading(titles["levels"], "h1"))
    story.append(Paragraph(_esc(_("Providers at each escalation level at the end of %(month)s, against the month "
                                  "before this pack's period, and the level this month's ratings recommend.") % {
        "month": date_format(data.period, "F Y")}), styles["body"]))
    rows = [[p(_("Level"), "cellbold"), p(_("What it means"), "cellbold"), p(_("Providers"), "cellbold"),
             p(_("Before this period"), "cellbold"), p(_("Recommended this month"), "cellbold")]]
    for row in data.levels.itertuples():
        rows.append([p(_("Level %(n)s") % {"n": row.level}), p(level_meaning(row.level)), p(row.providers),
                     p(row.before), p(row.recommended)])
    story.append(table(rows, [width * 0.1, width * 0.48, width * 0.12, width * 0.15, width * 0.15]))
    story.append(Spacer(1, 4 * mm))
    missing = int(data.levels["no_return"].sum()) if "no_return" in data.levels else 0
    if missing:
        story.append(Paragraph(_esc(ngettext(
            "%(n)s provider's return for %(month)s was not received (No return): it keeps its level, and the month "
            "is not rated.",
            "%(n)s providers' returns for %(month)s were not received (No return): they keep their levels, and the "
            "month is not rated.", missing) % {"n": missing, "month": date_format(data.period, "F Y")}), styles["body"]))
    story.append(Paragraph(_esc(ngettext(
        "%(n)s step-down is waiting for the decision of the director who owns the level.",
        "%(n)s step-downs are waiting for the decision of the director who owns the level.",
        data.pending_step_downs) % {"n": data.pending_step_downs}), styles["body"]))

    # 2. Decisions since the previous pack
    story.append(heading(titles["decisions"], "h1"))
    story.append(Paragraph(_esc(_("Every change of escalation level on the ratings for %(months)s.") % {
        "months": period_text}), styles["body"]))
    if data.decisions.empty:
        story.append(empty(_("No escalation decisions in this period.")))
    else:
        rows = [[p(_("Date"), "cellbold"), p(_("Provider"), "cellbold"), p(_("Change"), "cellbold"),
                 p(_("Kind"), "cellbold"), p(_("Why"), "cellbold"), p(_("By"), "cellbold")]]
        for d in data.decisions.itertuples():
            change = (_("Level %(from)s to %(to)s") % {"from": int(d.from_level), "to": d.to_level}
                      if pd.notna(d.from_level) else _("Started at level %(to)s") % {"to": d.to_level})
            why = "; ".join(part for part in (d.reasons, d.rationale) if part)
            rows.append([p(date_format(d.date, "j M Y")), p(d.provider), p(change), p(d.kind), p(why), p(d.decided_by)])
        story.append(table(rows, [width * w for w in (0.11, 0.22, 0.13, 0.13, 0.29, 0.12)]))

    # 3. Scorecard
    story += [NextPageTemplate("wide"), PageBreak(), heading(titles["scorecard"], "h1")]
    if provisional:
        story += notice(provisional)
    story.append(Paragraph(_esc(_(
        "G is Green, A Amber, R Red, – not rated; the cell's shade repeats the letter. Arrows compare with the "
        "month before: ▲ better, ▼ worse, ▶ the same. * an area a director has overridden (an override of Access "
        "counts for both USC and Planned). No return: the provider's return for the month was not received, so "
        "the month is not rated; the provider keeps its escalation level.")), styles["small"]))
    story.append(Spacer(1, 2 * mm))
    header = [_("Provider"), _("Access: USC"), _("Access: planned"), _("Quality and safety"), _("Finance and activity"),
              _("Patient experience"), _("Governance"), _("Recommended level"), _("Escalation level")]
    widths = [wide_width * 0.28] + [wide_width * 0.08] * 6 + [wide_width * 0.1, wide_width * 0.14]
    # One table per block of rows: reportlab re-applies a table's whole style at every page
    # split, so one table of thousands of shaded cells costs the square of its length.
    for start in range(0, max(len(records), 1), SCORECARD_BLOCK):
        rows, extra = [[p(h, "cellbold") for h in header]], [("ALIGN", (1, 1), (-2, -1), "CENTER")]
        for n, r in enumerate(records[start:start + SCORECARD_BLOCK], start=1):
            cells = [p(r["provider"])]
            if not is_received(r):
                cells += [no_return_word()] * 7  # USC, Planned, the four areas and the recommended level
            else:
                for column, rag_key in enumerate(["usc", "planned", *SCORECARD_AREAS], start=1):
                    rag = r[rag_key] if isinstance(r[rag_key], str) else ""
                    star = "*" if is_set(r.get(f"{rag_key}_overridden")) else ""
                    cells.append(f"{rag or '–'}{star} {arrow(r[f'{rag_key}_direction'])}".strip())
                    if rag in TINTS:
                        extra.append(("BACKGROUND", (column, n), (column, n), colors.HexColor(TINTS[rag])))
                recommended = int(r["recommended"]) if is_set(r["recommended"]) else "–"
                cells.append(f"{recommended} {arrow(r['recommended_direction'])}".strip())
            escalation = int(r["escalation"]) if is_set(r["escalation"]) else "–"
            level_text = f"{escalation} {arrow(r['escalation_direction'])}".strip()
            if r["pending_step_down"] and pd.notna(r["pending_step_down"]):
                level_text += " " + _("(step-down to %(n)s proposed)") % {"n": int(r["pending_step_down"])}
            cells.append(p(level_text))
            rows.append(cells)
        story.append(table(rows, widths, extra=extra))

    # 4. Exception pages
    story += [NextPageTemplate("body"), PageBreak(), heading(titles["exceptions"], "h1")]
    story.append(Paragraph(_esc(_(
        "One page for each provider at escalation level 3 or 4, or with a Red key area: the Red and Amber "
        "indicators, a trend chart of the Red ones with their statistical process control limits, and the "
        "open action plans.")), styles["body"]))
    axis = chart_months(data.period)
    if not data.exceptions:
        story.append(empty(_("No provider is at level 3 or 4 or has a Red area this month.")))
    for number, page in enumerate(data.exceptions):
        if number:
            story.append(PageBreak())
        else:
            story.append(CondPageBreak(120 * mm))
        story.append(heading(f"{page.provider} ({page.code})", "h2"))
        if page.received:
            facts = _("Escalation level %(level)s; recommended level %(recommended)s this month.") % {
                "level": page.escalation_level or "–", "recommended": page.recommended_level or "–"}
        else:
            facts = _("Escalation level %(level)s. No return: the return for %(month)s was not received, so the "
                      "month is not rated.") % {"level": page.escalation_level or "–",
                                                "month": date_format(data.period, "F Y")}
        if page.intervention:
            facts += " " + _("Government or regulator intervention: %(level)s.") % {"level": page.intervention}
        story.append(Paragraph(_esc(facts), styles["body"]))
        rows, extra = [[p(_("Key area"), "cellbold"), p(_("Rating"), "cellbold")]], []
        for n, (label, rag, computed) in enumerate(page.areas, start=1):
            text = rag_word(rag) if page.received else no_return_word()
            if computed:
                text += " " + _("(overridden; computed %(rag)s)") % {"rag": rag_word(computed)}
            rows.append([p(label), p(text)])
            if rag in TINTS:
                extra.append(("BACKGROUND", (1, n), (1, n), colors.HexColor(TINTS[rag])))
        story.append(table(rows, [width * 0.35, width * 0.4], extra=extra))
        story.append(Paragraph(_esc(_("Indicators rated Red or Amber")), styles["h3"]))
        if page.indicators.empty and not page.received:
            story.append(empty(_("None: no indicator is rated this month, as the return was not received.")))
        elif page.indicators.empty:
            story.append(empty(_("No indicator is Red or Amber: the level follows a decision, not this month's data.")))
        else:
            rows, extra = [[p(h, "cellbold") for h in (_("Indicator"), _("Value"), _("Target"), _("Rating"),
                                                        _("Why"), _("Team's note"))]], []
            for n, i in enumerate(page.indicators.itertuples(), start=1):
                rows.append([p(f"{i.indicator} ({i.area})"), p(_number(i.value)), p(_number(i.target)),
                             p(rag_word(i.rag)), p(i.reason), p(i.note)])
                extra.append(("BACKGROUND", (3, n), (3, n), colors.HexColor(TINTS.get(i.rag, "#ffffff"))))
            story.append(table(rows, [width * w for w in (0.3, 0.08, 0.08, 0.08, 0.2, 0.26)], extra=extra))
        if page.charts:
            trends = [Paragraph(_esc(_("Trends over 24 months")), styles["h3"])]
            cells = []
            for chart in page.charts:
                _stats, variation, assurance = charts.spc_summary(
                    chart.values, months=axis, target=chart.target, higher_is_better=chart.higher_is_better)
                meaning = str(spc.VARIATION_MEANING[variation])
                if assurance:
                    meaning += ". " + str(spc.ASSURANCE_MEANING[assurance])
                cells.append([Paragraph(_esc(chart.title), styles["cellbold"]), LaterChart(chart, width * 0.48, 130),
                              Paragraph(_esc(meaning), styles["small"])])
            grid = [cells[i:i + 2] for i in range(0, len(cells), 2)]
            grid = [[_stack(c) for c in row] + [""] * (2 - len(row)) for row in grid]
            trends.append(Table(grid, colWidths=[width * 0.5] * 2, style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(KeepTogether(trends))  # never a heading alone at the foot of a page
            story.append(Paragraph(_esc(_(
                "Grey: the monthly values; solid line: the mean; dashed: the process limits (mean ± 2.66 × the mean "
                "moving range); red dotted: the target; orange dotted: the amber threshold; blue dashed: the agreed "
                "trajectory. Orange points are special causes of concern, blue points of improvement.")),
                styles["small"]))
        story.append(Paragraph(_esc(_("Action plans")), styles["h3"]))
        if not page.plans and any(rag == "R" for _label, rag, _computed in page.areas):
            story.append(empty(_("No open action plan, though a Red area needs one, with a trajectory for improvement.")))
        elif not page.plans:
            story.append(empty(_("No open action plan.")))
        for plan in page.plans:
            scope = plan["area"] + (f": {plan['indicator']}" if plan["indicator"] else "")
            actions = plan["actions"] if len(plan["actions"]) <= 600 else plan["actions"][:597] + "…"
            story.append(KeepTogether([
                Paragraph(f"<b>{_esc(plan['title'])}</b> ({_esc(scope)})", styles["cell"]),
                Paragraph(_esc(actions).replace("\n", "<br/>"), styles["cell"]),
                Paragraph(_esc(_("Owner: %(owner)s; next review %(date)s") % {
                    "owner": plan["owner"], "date": date_format(plan["next_review"], "j M Y")}), styles["small"]),
                Spacer(1, 3 * mm)]))

    # 5. Data completeness
    story += [PageBreak(), heading(titles["completeness"], "h1")]
    story.append(Paragraph(_esc(_(
        "For each month: the share of applicable indicators with a result (reported, or not applicable) in a "
        "received return (complete) and of returns submitted by the deadline, the 15th of the following month "
        "(on time), per commissioning team. A return not received counts as 0% complete.")), styles["body"]))
    if data.completeness.empty:
        story.append(empty(_("No returns were due in this period.")))
    else:
        rows = [[p(h, "cellbold") for h in (_("Month"), _("Commissioning team"), _("Providers"), _("Complete"),
                                             _("On time"), _("Overdue"))]]
        for c in data.completeness.itertuples():
            rows.append([p(date_format(c.month, "M Y")), p(c.team), p(c.providers), p(_percent(c.completeness)),
                         p(_percent(c.timeliness)), p(c.overdue)])
        story.append(table(rows, [width * w for w in (0.12, 0.4, 0.12, 0.12, 0.12, 0.12)]))
    story.append(Paragraph(_esc(_("Returns not received")), styles["h3"]))
    story.append(Paragraph(_esc(_(
        "Providers in scope (holding a live contract) whose return for the month was not submitted: the month is "
        "not rated for them (No return) and counts against completeness and timeliness.")), styles["body"]))
    if data.no_returns.empty:
        story.append(empty(_("Every provider in scope returned its data for %(months)s.") % {"months": period_text}))
    else:
        rows = [[p(h, "cellbold") for h in (_("Month"), _("Provider"), _("Commissioning team"), _("Return"))]]
        for m in data.no_returns.itertuples():
            rows.append([p(date_format(m.month, "M Y")), p(f"{m.provider} ({m.code})"), p(m.team), p(m.state)])
        story.append(table(rows, [width * w for w in (0.12, 0.4, 0.28, 0.2)]))

    # 6. Renewals
    story.append(Spacer(1, 6 * mm))
    story.append(heading(titles["renewals"], "h1"))
    story.append(Paragraph(_esc(_("Contracts in force that are due for renewal by %(date)s (six months after the end "
                                  "of %(month)s), earliest first.") % {
        "date": date_format(add_months(data.renewals_from, 6), "j F Y"), "month": date_format(data.period, "F Y")}),
        styles["body"]))
    if data.renewals.empty:
        story.append(empty(_("No contract is due for renewal in the next six months.")))
    else:
        rows = [[p(h, "cellbold") for h in (_("Reference"), _("Provider"), _("Title"), _("Team"), _("Annual value"),
                                             _("Renewal due"), _("Tier"))]]
        for c in data.renewals.itertuples():
            due = date_format(c.renewal_date, "j M Y") + (" " + _("(passed)") if c.overdue else "")
            rows.append([p(c.reference), p(c.provider), p(c.title), p(c.team), p("£" + number_format(c.annual_value, 0, use_l10n=True, force_grouping=True)), p(due),
                         p(c.tier)])
        story.append(table(rows, [width * w for w in (0.13, 0.2, 0.25, 0.14, 0.1, 0.11, 0.07)]))

    # The contents start with every entry it will hold (page numbers to come), so the first
    # pass lays the pages out as the last will: two passes instead of three.
    toc._entries = list(headings)
    doc.multiBuild(story)
    return buffer.getvalue(), total.seen


def _stack(cell):
    from reportlab.platypus import Table

    return Table([[item] for item in cell], style=[("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])


def _percent(value):
    return "–" if value is None or pd.isna(value) else f"{value:.0f}%"


def chart_months(period, count=24):
    """The x axis of the trend charts: the `count` months up to the pack's, oldest first."""
    return [shift(period, -n) for n in range(count - 1, -1, -1)]


# XLSX -----------------------------------------------------------------------------------------

def render_xlsx(data: PackData) -> bytes:
    """The pack as a workbook, one sheet per section; text neutralised against formula injection."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from providers.importing import neutralise

    titles = section_titles()
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = book.active if first else book.create_sheet()
        ws.title = title[:31]
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = ws.dimensions
        for n, h in enumerate(header, start=1):
            longest = max([len(str(h))] + [len(str(r[n - 1])) for r in rows[:200] if r[n - 1] is not None])
            ws.column_dimensions[get_column_letter(n)].width = min(max(10, longest + 2), 60)
        return ws

    records = data.scorecard.to_dict("records")
    rated = sum(1 for r in records if is_received(r))
    provisional = provisional_text(data)
    about = sheet(_("About"), [_("Item"), _("Value")], [
        [_("Committee"), data.committee_name],
        [_("Months covered"), months_text(data.months)],
        [_("Prepared on"), data.built_on],
        *([[_("Status"), provisional]] if provisional else []),
        [_("Providers rated"), rated],
        [_("Providers with no return this month"), len(records) - rated],
        [_("Sheets"), ", ".join(str(t) for t in [*titles.values(), _("Returns not received")])],
        [_("Overridden"), _("“(overridden)” marks a key area a director has overridden; an override of Access "
                            "counts for both USC and Planned.")],
        [_("No return"), _("The provider's return for the month was not received, so the month is not rated; "
                           "the provider keeps its escalation level.")],
    ], first=True)
    about.column_dimensions["B"].width = 60
    no_return_at = (data.levels["no_return"] if "no_return" in data.levels else pd.Series(0, index=data.levels.index))
    sheet(titles["levels"], [_("Level"), _("What it means"), _("Providers"), _("Of which no return this month"),
                             _("Before this period"), _("Recommended this month")],
          [[r.level, level_meaning(r.level), r.providers, int(missing), r.before, r.recommended]
           for r, missing in zip(data.levels.itertuples(), no_return_at, strict=True)]
          + [[_("Step-downs waiting for a decision"), "", data.pending_step_downs, "", "", ""]])
    sheet(titles["decisions"], [_("Date"), _("Ratings for"), _("Provider"), _("From level"), _("To level"), _("Kind"),
                                _("Reasons"), _("Rationale"), _("By")],
          [[d.date, d.month, d.provider, None if pd.isna(d.from_level) else int(d.from_level), d.to_level, d.kind,
            d.reasons, d.rationale, d.decided_by] for d in data.decisions.itertuples()])
    fills = {rag: PatternFill("solid", fgColor=tint.lstrip("#").upper()) for rag, tint in TINTS.items()}
    areas = ["usc", "planned", *SCORECARD_AREAS]
    area_labels = [_("Access: USC"), _("Access: planned"), _("Quality and safety"), _("Finance and activity"),
                   _("Patient experience"), _("Governance")]
    against = _("%(column)s, against last month")
    header = [_("Provider"), _("Code")]
    for label in [*area_labels, _("Recommended level"), _("Escalation level")]:
        header += [label, against % {"column": label}]
    header.append(_("Step-down proposed to"))

    def scorecard_cells(r):
        cells = [r["provider"], r["code"]]
        if not is_received(r):
            cells += [no_return_word(), ""] * (len(areas) + 1)   # the areas and the recommended level
        else:
            for area in areas:
                rag = r[area] if isinstance(r[area], str) else ""
                word = rag_word(rag)
                if is_set(r.get(f"{area}_overridden")):
                    word = _("%(rag)s (overridden)") % {"rag": word}
                cells += [word, direction_word(r[f"{area}_direction"])]
            cells += [int(r["recommended"]) if is_set(r["recommended"]) else _("Not rated"),
                      direction_word(r["recommended_direction"])]
        cells += [int(r["escalation"]) if is_set(r["escalation"]) else None, direction_word(r["escalation_direction"]),
                  int(r["pending_step_down"]) if is_set(r["pending_step_down"]) else None]
        return cells

    ws = sheet(titles["scorecard"], header, [scorecard_cells(r) for r in records])
    for row_number, r in enumerate(records, start=2):
        if not is_received(r):
            continue
        for n, area in enumerate(areas):
            if r[area] in fills:
                ws.cell(row=row_number, column=3 + 2 * n).fill = fills[r[area]]
    sheet(titles["exceptions"], [_("Provider"), _("Code"), _("Escalation level"), _("Key area"), _("Indicator"),
                                 _("Value"), _("Target"), _("Rating"), _("Why"), _("Team's note")],
          [[e.provider, e.code, e.escalation_level, i.area, i.indicator, _none(i.value), _none(i.target),
            rag_word(i.rag), i.reason, i.note] for e in data.exceptions for i in e.indicators.itertuples()])
    sheet(_("Action plans"), [_("Provider"), _("Plan"), _("Key area"), _("Indicator"), _("Actions"), _("Owner"),
                              _("Next review")],
          [[e.provider, pl["title"], pl["area"], pl["indicator"], pl["actions"], pl["owner"], pl["next_review"]]
           for e in data.exceptions for pl in e.plans])
    sheet(titles["completeness"], [_("Month"), _("Commissioning team"), _("Providers"), _("Complete (%)"),
                                   _("On time (%)"), _("Overdue")],
          [[c.month, c.team, c.providers, _none(c.completeness), _none(c.timeliness), c.overdue]
           for c in data.completeness.itertuples()])
    sheet(_("Returns not received"), [_("Month"), _("Provider"), _("Code"), _("Commissioning team"), _("Return")],
          [[m.month, m.provider, m.code, m.team, m.state] for m in data.no_returns.itertuples()])
    sheet(titles["renewals"], [_("Reference"), _("Provider"), _("Title"), _("Commissioning team"),
                               _("Annual value (£)"), _("Renewal due"), _("Tier"), _("Date passed")],
          [[c.reference, c.provider, c.title, c.team, c.annual_value, c.renewal_date, c.tier,
            _("Yes") if c.overdue else _("No")] for c in data.renewals.itertuples()])
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _none(value):
    return None if value is None or pd.isna(value) else value
