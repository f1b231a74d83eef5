"""The PDF's plumbing: fonts, styles, the document and its page templates (cover, portrait,
landscape), the running header and page numbers, the contents and bookmarks, and the small
builders the sections write with (`PdfPack`). What each section says is in `pdf_sections`.

The build is reportlab's multiBuild: the contents are known in advance (every heading is
registered as it is made), so two passes lay the pages out, and `PageTotal` adds a pass
only when "Page n of N" would print the wrong N.
"""

import html
import io
from pathlib import Path

import matplotlib
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
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

from .. import charts
from .presentation import chart_months, months_text

NHS_BLUE = "#005eb8"
FONT, FONT_BOLD = "PackSans", "PackSans-Bold"
PLACEHOLDER_PAGE = 888  # at least as wide as any real page number, so no entry wraps later
GREY_TEXT, RULE = "#4c6272", "#d8dde0"


def register_fonts():
    """DejaVu Sans, which matplotlib ships: it prints Welsh (ŵ, ŷ), £ and the arrows."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def paragraph_styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=6)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5, spaceAfter=0),
        "cellbold": ParagraphStyle(
            "cellbold", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=26,
            leading=32,
            textColor=colors.HexColor(NHS_BLUE),
            spaceAfter=12,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=14, leading=18, spaceAfter=8),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=0,
            spaceAfter=8,
            textColor=colors.HexColor("#212b32"),
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=4, spaceAfter=6
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=4
        ),
        "contents": ParagraphStyle("contents", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=10),
        "toc0": ParagraphStyle("toc0", parent=base, fontName=FONT_BOLD, fontSize=10, leading=14),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=8.5, leading=11, leftIndent=14),
    }


def esc(text):
    """Text for reportlab's paragraph markup: &, < and > escaped."""
    return html.escape(str(text if text is not None else ""), quote=False)


CELL_PADDING = 6  # a table cell's left and right padding (PdfPack.table)


def text_width(text, size=7.5, font=FONT):
    """How wide `text` prints in the tables' font."""
    return pdfmetrics.stringWidth(str(text), font, size)


def fitted_widths(total, shares, unbroken):
    """Column widths for a table `total` wide. A column named in `unbroken` (index -> its texts) is as
    wide as its widest text, and at least its share: money, codes and dates are printed whole, never
    broken across lines ("£45,500,00 / 0", issue 18). The other columns share what is left in
    proportion to their shares."""
    widths = [None] * len(shares)
    for index, texts in unbroken.items():
        need = max((text_width(t) for t in texts), default=0) + CELL_PADDING + 1
        widths[index] = max(need, total * shares[index])
    left = total - sum(w for w in widths if w is not None)
    free = sum(share for share, width in zip(shares, widths, strict=True) if width is None)
    return [width if width is not None else left * share / free for share, width in zip(shares, widths, strict=True)]


def stack(cell):
    """Flowables one above the other in a single table cell."""
    return Table(
        [[item] for item in cell], style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    )


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


class LaterChart(Flowable):
    """A trend chart drawn only once the layout is settled: the first pass needs its size,
    not its lines, and drawing every chart twice was a third of a large pack's time."""

    def __init__(self, chart, chart_width, chart_height, *, months, total):
        super().__init__()
        self.chart, self.width, self.height = chart, chart_width, chart_height
        self.months, self.total = months, total

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        if self.total.passes < 2:
            return
        drawing, *_rest = charts.spc_drawing(
            self.chart.values,
            months=self.months,
            unit_label=self.chart.unit,
            target=self.chart.target,
            amber=self.chart.amber,
            higher_is_better=self.chart.higher_is_better,
            trajectory=self.chart.trajectory,
            width=self.width,
            height=self.height,
            font=FONT,
        )
        renderPDF.draw(drawing, self.canv, 0, 0)


class PackDocument(BaseDocTemplate):
    def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
        """Headings go into the contents and the PDF's bookmarks."""
        style = getattr(flowable, "style", None)
        if not isinstance(flowable, Paragraph) or style is None or style.name not in ("h1", "h2"):
            return
        level = 0 if style.name == "h1" else 1
        text = flowable.getPlainText()
        key = f"h{id(flowable)}"  # as PdfPack.heading() predicted
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)  # a bookmark is plain text
        # The contents lay each entry out as a Paragraph again: the plain text is escaped once more,
        # or a provider called "<link href=...>" would become a live link there (issue 16).
        self.notify("TOCEntry", (level, esc(text), self.page, key))


class PdfPack:
    """One pack's PDF being written: the story the sections append to, the styles and page
    widths they lay out with, and the headings the contents will list.

    Page templates: "cover" (the blue band), "body" (A4 portrait) and "wide" (A4 landscape,
    for the scorecard's nine columns); a section switches with `NextPageTemplate`.
    """

    def __init__(self, data):
        register_fonts()
        self.data = data
        self.styles = paragraph_styles()
        self.period_text = months_text(data.months)
        self.running_head = f"{data.committee_name} · {self.period_text}"
        self.months = chart_months(data.period)  # the trend charts' x axis
        self.total = PageTotal()
        self.headings = []  # (level, text, page, key) as the contents will list them
        self.toc = None
        self.buffer = io.BytesIO()
        self.doc = PackDocument(
            self.buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=20 * mm,
            bottomMargin=18 * mm,
            title=f"{data.committee_name}: {self.period_text}",
            author=_("Provider assurance"),
            subject=_("Committee pack"),
            lang=_("en-GB"),
        )
        doc = self.doc
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        cover_frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - 48 * mm, id="cover")
        wide = landscape(A4)
        wide_frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            wide[0] - doc.leftMargin - doc.rightMargin,
            wide[1] - doc.topMargin - doc.bottomMargin,
            id="wide",
        )
        doc.addPageTemplates(
            [
                PageTemplate("cover", [cover_frame], onPage=self.cover_page),
                PageTemplate("body", [frame], onPage=self.header_footer),
                PageTemplate("wide", [wide_frame], onPage=self.header_footer, pagesize=wide),
            ]
        )
        self.width = doc.width
        self.wide_width = wide_frame._width
        self.story = [self.total, NextPageTemplate("body")]

    # Pages ---------------------------------------------------------------------------------

    def header_footer(self, canvas, doc):
        page_width, page_height = canvas._pagesize
        self.total.seen = doc.page
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor(GREY_TEXT))
        canvas.drawCentredString(
            page_width / 2, 10 * mm, _("Page %(n)s of %(total)s") % {"n": doc.page, "total": self.total.printed or "…"}
        )
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor(GREY_TEXT))
        canvas.drawString(18 * mm, page_height - 12 * mm, self.running_head)
        canvas.drawRightString(page_width - 18 * mm, page_height - 12 * mm, _("OFFICIAL-SENSITIVE"))
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.line(18 * mm, page_height - 14 * mm, page_width - 18 * mm, page_height - 14 * mm)
        canvas.restoreState()

    def cover_page(self, canvas, doc):
        self.total.seen = doc.page
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

    def contents(self):
        """The contents page; its entries are filled in by `build`."""
        self.toc = TableOfContents()
        self.toc.levelStyles = [self.styles["toc0"], self.styles["toc1"]]
        self.toc.dotsMinLevel = 0
        self.add(Paragraph(esc(_("Contents")), self.styles["contents"]), self.toc, PageBreak())

    # What the sections write with ------------------------------------------------------------

    def add(self, *flowables):
        self.story.extend(flowables)

    def p(self, text, style="cell"):
        """A paragraph of plain text (escaped)."""
        return Paragraph(esc(text), self.styles[style])

    def markup(self, text, style="cell"):
        """A paragraph of reportlab markup: the caller escaped what came from the data."""
        return Paragraph(text, self.styles[style])

    def empty(self, text):
        """What a section says when it has nothing to list."""
        return self.p(text, "body")

    def heading(self, text, style):
        """A section (h1) or exception page (h2) heading, known to the contents in advance."""
        paragraph = Paragraph(esc(text), self.styles[style])
        self.headings.append(
            (0 if style == "h1" else 1, esc(paragraph.getPlainText()), PLACEHOLDER_PAGE, f"h{id(paragraph)}")
        )
        return paragraph

    def table(self, rows, widths, *, header=True, extra=()):
        """A data table; the header row repeats on every page it spans."""
        t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style += [
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edee")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#768692")),
            ]
        t.setStyle(TableStyle(style + list(extra)))
        return t

    def header_row(self, *labels):
        """A table's header cells, in bold."""
        return [self.p(label, "cellbold") for label in labels]

    def notice(self, text, style="cellbold"):
        """A notice (the provisional notice, an exception page's flags): boxed, and bold by default, so
        it is seen and not only read. `text` is plain text, or a list of plain lines."""
        lines = text if isinstance(text, list | tuple) else [text]
        box = Table([[Paragraph("<br/>".join(esc(line) for line in lines), self.styles[style])]], colWidths=[None])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#212b32")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return [box, Spacer(1, 3 * mm)]

    def chart(self, chart, chart_width, chart_height):
        """A trend chart, drawn on the last pass only."""
        return LaterChart(chart, chart_width, chart_height, months=self.months, total=self.total)

    @staticmethod
    def shade(column, row, rag_colour):
        """A table style command: one cell's background."""
        return ("BACKGROUND", (column, row), (column, row), colors.HexColor(rag_colour))

    # The build -------------------------------------------------------------------------------

    def build(self):
        """(the PDF's bytes, its number of pages)."""
        # The contents start with every entry it will hold (page numbers to come), so the first
        # pass lays the pages out as the last will: two passes instead of three.
        if self.toc is not None:
            self.toc._entries = list(self.headings)
        self.doc.multiBuild(self.story)
        return self.buffer.getvalue(), self.total.seen
