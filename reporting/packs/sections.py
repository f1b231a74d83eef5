"""The sections a pack can hold, in the order a full pack holds them (METHODOLOGY 6): a code,
its title, and its PDF and workbook builders. Configurable committees choose from these codes;
every pack also has the cover and contents (the PDF) and the About sheet (the workbook)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import finance, pdf_sections, xlsx
from .data import PackData
from .pdf import PdfPack


@dataclass(frozen=True)
class Section:
    """One section of a pack: its title and how the PDF and the workbook show it."""

    title: Promise | str
    pdf: Callable[[PdfPack, PackData, str], None]
    xlsx: Callable[..., None]  # (workbook, PackData, title)


SECTIONS: dict[str, Section] = {
    "levels": Section(_("Level summary"), pdf_sections.levels, xlsx.levels),
    "decisions": Section(_("Escalation decisions"), pdf_sections.decisions, xlsx.decisions),
    "scorecard": Section(_("Provider scorecard"), pdf_sections.scorecard, xlsx.scorecard),
    "exceptions": Section(_("Exception reports"), pdf_sections.exceptions, xlsx.exceptions),
    "completeness": Section(_("Data completeness"), pdf_sections.completeness, xlsx.completeness),
    "renewals": Section(_("Contracts due for renewal"), pdf_sections.renewals, xlsx.renewals),
    "summits": Section(_("Provider summits held"), pdf_sections.summits, xlsx.summits),
    "corporate_risks": Section(_("Corporate risks"), pdf_sections.corporate_risks, xlsx.corporate_risks),
    "financial_position": Section(_("Financial position"), finance.pdf, finance.xlsx),
}


def section_titles():
    """Each section's title in the active language, in a full pack's order."""
    return {code: str(section.title) for code, section in SECTIONS.items()}


def chosen(codes: Iterable[str] | None):
    """The sections named, in the order named (all of them, in the registry's order, when None). A code
    no longer in the registry is left out rather than failing the pack."""
    return [SECTIONS[code] for code in (SECTIONS if codes is None else codes) if code in SECTIONS]


def render_pdf(data: PackData, sections: Iterable[str] | None = None) -> tuple[bytes, int]:
    """The pack as a PDF: (the file's bytes, its number of pages). A cover and contents, then
    the sections, with page numbers and bookmarks."""
    pdf = PdfPack(data)
    pdf_sections.cover(pdf, data)
    pdf.contents()
    for section in chosen(sections):
        section.pdf(pdf, data, str(section.title))
    return pdf.build()


def render_xlsx(data: PackData, sections: Iterable[str] | None = None) -> bytes:
    """The pack as a workbook: an About sheet, then one sheet per section."""
    return xlsx.build(data, [(str(section.title), section.xlsx) for section in chosen(sections)])
