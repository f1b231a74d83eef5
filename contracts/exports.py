"""The contract register as CSV and XLSX, as filtered on the list page.

Pure functions of the contracts given: no request, so they are tested directly. Text
cells are neutralised so a value such as "=HYPERLINK(...)" cannot run as a formula.
"""

import csv
import io

from django.utils.translation import gettext as _

from providers.importing import neutralise


def export_columns():
    return [
        (_("Reference"), lambda c: c.reference),
        (_("Provider code"), lambda c: c.provider.code),
        (_("Provider"), lambda c: c.provider.name),
        (_("Title"), lambda c: c.title),
        (_("Type"), lambda c: c.get_contract_type_display()),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Commissioning team"), lambda c: c.commissioning_team.name),
        (_("Annual value (£)"), lambda c: c.annual_value),
        (_("Total value including extensions (£)"), lambda c: c.total_value),
        (_("Start date"), lambda c: c.start_date),
        (_("End date"), lambda c: c.end_date),
        (_("Renewal date"), lambda c: c.renewal_date or ""),
        (_("Due for renewal"), lambda c: c.renewal_due_date),
        (_("Length (months)"), lambda c: c.length_months),
        (_("Months to renewal"), lambda c: c.months_to_renewal),
        (_("Renewal due within six months"), lambda c: _("Yes") if c.renewal_due_soon else _("No")),
        (_("Value tier"), lambda c: c.value_tier),
        (_("Routine meetings"), lambda c: str(c.routine_cadence)),
        (_("Strategic importance"), lambda c: _("Yes") if c.strategic_importance else _("No")),
        (_("Service area"), lambda c: c.service_area),
        (_("Service description"), lambda c: c.service_description),
        (_("Operational lead"), lambda c: c.operational_lead),
        (_("Contractual lead"), lambda c: c.contractual_lead),
        (_("Overall risk rating"), lambda c: c.get_risk_rating_display() if c.risk_rating else ""),
        (_("Services"), lambda c: "; ".join(line.service.code for line in c.lines.all())),
    ]


def contract_table(contracts):
    """Header and rows: one row per contract, cells neutralised."""
    columns = export_columns()
    header = [label for label, _getter in columns]
    rows = [[neutralise(getter(contract)) for _label, getter in columns] for contract in contracts]
    return header, rows


def safe_rows(rows):
    """Every text cell neutralised, whoever built the rows (issue 16: every generated document)."""
    return [[neutralise(value) for value in row] for row in rows]


def to_csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(safe_rows(rows))
    # A byte-order mark so Excel opens the file as UTF-8 (pound signs, Welsh names).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl is heavy: loaded only when the register is exported as XLSX
    from openpyxl.styles import Font  # noqa: PLC0415 - openpyxl is heavy: loaded only when the register is exported as XLSX

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in safe_rows(rows):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, min(40, len(label) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
