"""The per-team, per-month XLSX template for returns (a pure function of its inputs)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from contracts.models import Contract, LineActual
from providers.importing import neutralise
from providers.periods import financial_year_label, financial_year_months, format_period, month_end

from .choices import Area, ValueStatus
from .selectors import locked_periods

IMPORT_COLUMNS = ["provider_code", "indicator_code", "period", "value", "rag", "status", "note"]
HELP_COLUMNS = ["provider_name", "indicator_name", "unit", "target", "amber_threshold", "judgement"]


LAYOUTS = ("one", "area", "provider")  # one sheet; a sheet per key area; a sheet per provider
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_title(text, taken):
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = " ".join(str(text).translate(_SHEET_NAME_FORBIDDEN).split())[:31] or "Sheet"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def return_template(rows, period, title, layout="one"):
    """XLSX bytes: one row per provider and applicable indicator, saved values filled in.

    `rows` is [(provider, indicator, saved IndicatorValue or None)]. The first seven
    columns are returns.csv's; the rest help the person filling it in and are ignored
    on upload (extra columns are ignored, DESIGN.md). `layout`: "one" sheet, a sheet per key
    "area", or a sheet per "provider"; each sheet has the header row, and the upload reads
    every sheet. Rows left blank are skipped on upload.
    """
    groups = {}
    if layout == "area":
        names = dict(Area.choices)
        for row in sorted(rows, key=lambda r: list(names).index(r[1].area) if r[1].area in names else 99):
            groups.setdefault(str(names.get(row[1].area, row[1].area)), []).append(row)
    elif layout == "provider":
        for row in rows:
            groups.setdefault(f"{row[0].code} {row[0].name}", []).append(row)
    else:
        groups[title] = rows
    if not groups:
        groups[title] = []
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken = set()
    for name, group in groups.items():
        _template_sheet(workbook.create_sheet(_sheet_title(name, taken)), group, period)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template_sheet(sheet, rows, period):
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


ACTIVITY_COLUMNS = ["contract_reference", "service_code", "period", "activity", "cost"]
ACTIVITY_HELP = ["provider_name", "service_name", "monthly_plan_activity", "monthly_plan_cost"]


def activity_template(team, first_month):
    """XLSX bytes for a team's financial year: one row per live contract line and month, not locked,
    with any actual already recorded (activity.csv's columns first, then help columns, ignored on
    upload). A row left blank records nothing."""
    months = financial_year_months(first_month)
    locked = locked_periods(months)
    contracts = (
        Contract.objects.live_during(months[0], month_end(months[-1]))
        .filter(commissioning_team=team)
        .select_related("provider")
        .prefetch_related("lines__service")
        .order_by("provider__name", "reference")
    )
    saved = {
        (a.line_id, a.period): a for a in LineActual.objects.filter(line__contract__in=contracts, period__in=months)
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{team.code} {financial_year_label(first_month).replace('/', '-')}"[:31]
    sheet.append(ACTIVITY_COLUMNS + ACTIVITY_HELP)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for contract in contracts:
        for line in contract.lines.all():
            for month in months:
                if month in locked or contract.start_date > month_end(month) or contract.end_date < month:
                    continue
                actual = saved.get((line.pk, month))
                sheet.append(
                    [
                        neutralise(contract.reference),
                        neutralise(line.service.code),
                        format_period(month),
                        None if actual is None else actual.activity,
                        None if actual is None else float(actual.cost),
                        neutralise(contract.provider.name),
                        neutralise(line.service.name),
                        None if line.planned_activity is None else round(line.planned_activity / 12, 2),
                        None if line.planned_cost is None else round(float(line.planned_cost) / 12, 2),
                    ]
                )
    grey = PatternFill("solid", fgColor="E8EDEE")
    for row in sheet.iter_rows(min_row=2, min_col=len(ACTIVITY_COLUMNS) + 1):
        for cell in row:
            cell.fill = grey
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", [16, 14, 10, 10, 14, 40, 40, 14, 14], strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
