"""The per-team, per-month XLSX template for returns (a pure function of its inputs)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from providers.importing import neutralise
from providers.periods import format_period

from .choices import ValueStatus

IMPORT_COLUMNS = ["provider_code", "indicator_code", "period", "value", "rag", "status", "note"]
HELP_COLUMNS = ["provider_name", "indicator_name", "unit", "target", "amber_threshold", "judgement"]


def return_template(rows, period, title):
    """XLSX bytes: one row per provider and applicable indicator, saved values filled in.

    `rows` is [(provider, indicator, saved IndicatorValue or None)]. The first seven
    columns are returns.csv's; the rest help the person filling it in and are ignored
    on upload (extra columns are ignored, DESIGN.md).
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(IMPORT_COLUMNS + HELP_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="E8EDEE")
    for provider, indicator, saved in rows:
        sheet.append(
            [
                provider.code,
                indicator.code,
                format_period(period),
                None if saved is None or saved.value is None else float(saved.value),
                "" if saved is None else saved.rag,
                "" if saved is None else saved.status,
                "" if saved is None else neutralise(saved.note),
                neutralise(provider.name),
                neutralise(indicator.name),
                indicator.get_unit_display(),
                None if indicator.target is None else float(indicator.target),
                None if indicator.amber_threshold is None else float(indicator.amber_threshold),
                "yes" if indicator.judgement else "no",
            ]
        )
    last = sheet.max_row
    for column in range(len(IMPORT_COLUMNS) + 1, len(IMPORT_COLUMNS) + len(HELP_COLUMNS) + 1):
        for row in range(2, last + 1):
            sheet.cell(row=row, column=column).fill = grey
    if last > 1:
        rag = DataValidation(type="list", formula1='"G,A,R"', allow_blank=True)
        status = DataValidation(type="list", formula1='"' + ",".join(ValueStatus.values) + '"', allow_blank=True)
        sheet.add_data_validation(rag)
        sheet.add_data_validation(status)
        rag.add(f"E2:E{last}")
        status.add(f"F2:F{last}")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLM", [12, 30, 10, 10, 6, 18, 40, 40, 50, 12, 10, 10, 10], strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
