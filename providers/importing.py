"""Spreadsheet imports shared by every register and data import (DESIGN.md, "Data interchange").

An importer validates the whole file before it writes anything: every bad row is
reported as `line N` (the file's own line number, the header being line 1) with the
column and the reason, and nothing is written unless every row is valid. Rows are
matched on their natural key, so importing the same file twice changes nothing.
"""

import contextlib
import csv
import io
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from .models import register_code_validator


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, not UTF-8, empty, missing columns."""


# Who an import acts for and why, for the history rows it writes: the web upload's user
# comes from django-simple-history's middleware; a command names one with --user.
_attribution = threading.local()


def change_reason():
    """The reason recorded on history rows written now ("Imported from FILE"), or ""."""
    return getattr(_attribution, "reason", "")


@contextlib.contextmanager
def attributed(*, reason, user=None):
    """Record `reason` (and `user`, when given) on every history row written inside."""
    previous_reason = getattr(_attribution, "reason", "")
    previous_request = getattr(HistoricalRecords.context, "request", None)
    _attribution.reason = reason
    if user is not None:
        HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        _attribution.reason = previous_reason
        if user is not None:
            if previous_request is None:
                del HistoricalRecords.context.request
            else:
                HistoricalRecords.context.request = previous_request


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    dry_run: bool = False
    errors: list = field(default_factory=list)
    skipped: int = 0  # blank rows left out (the returns template's rows with nothing filled in)
    rating_run: object = None  # returns imports: the rating job they asked for

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        if self.dry_run:
            text = _(
                "Dry run: %(rows)s rows checked; %(created)s would be created, "
                "%(updated)s updated and %(unchanged)s left unchanged. Nothing was saved."
            )
        else:
            text = _("%(rows)s rows imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        return text % {"rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


XLSX_MAGIC = b"PK\x03\x04"
MAX_LISTED = 20


@dataclass(frozen=True)
class ImportLimits:
    """The caps every import reads a file under (settings IMPORT_MAX_*), so a hostile file (a
    "zip bomb" workbook, a huge CSV) is refused in a bounded time instead of tying up a worker."""

    file_bytes: int = 10 * 1024 * 1024
    rows: int = 300_000  # every row read, blank ones included
    cells: int = 3_000_000  # CSV cells (rows times their columns)
    xlsx_cells: int = 1_000_000  # workbook cells: far slower to read than CSV
    xlsx_unpacked_bytes: int = 50 * 1024 * 1024  # all the workbook's parts, unpacked

    @classmethod
    def from_settings(cls):
        return cls(
            file_bytes=getattr(settings, "MAX_IMPORT_FILE_BYTES", cls.file_bytes),
            rows=getattr(settings, "IMPORT_MAX_ROWS", cls.rows),
            cells=getattr(settings, "IMPORT_MAX_CELLS", cls.cells),
            xlsx_cells=getattr(settings, "IMPORT_MAX_XLSX_CELLS", cls.xlsx_cells),
            xlsx_unpacked_bytes=getattr(settings, "IMPORT_MAX_XLSX_UNPACKED_BYTES", cls.xlsx_unpacked_bytes),
        )


class SheetLine(NamedTuple):
    """A line of a workbook with several sheets: shown as "5 (sheet name)", ordered by sheet."""

    sheet_index: int
    number: int
    sheet: str

    def __str__(self):
        return f"{self.number} ({self.sheet})"


class _Counter:
    """Counts rows and cells as they are read and refuses the file past its caps."""

    def __init__(self, limits, *, cells, progress=None):
        self.limits, self.max_cells, self.progress = limits, cells, progress
        self.rows = self.cells = 0

    def add(self, width):
        self.rows += 1
        self.cells += width
        if self.rows > self.limits.rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": f"{self.limits.rows:,}"}
            )
        if self.cells > self.max_cells:
            raise ImportFileError(too_many_cells(self.max_cells))
        if self.progress is not None and self.rows % 1000 == 0:
            self.progress(self.rows)


def too_many_cells(limit):
    return _(
        "The file has more than %(max)s cells. Delete the rows and columns you do not need, "
        "or split it into smaller files."
    ) % {"max": f"{limit:,}"}


def read_table(data: bytes, filename: str = "", *, all_sheets=False, limits=None, progress=None):
    """Read a CSV or XLSX file into (header, [(line, {column: text})]).

    Header names are stripped and lower-cased; cell values are stripped text (XLSX
    numbers and dates are turned into the text a CSV would hold). Blank rows are skipped.
    The file is read as a stream under `limits` (ImportLimits, default from settings):
    past a cap it is refused (ImportFileError) without reading the rest. `progress(rows)`
    is told how far the reading has got. With `all_sheets`, every sheet of a workbook with
    a header row is read (the returns template may have one per area or provider): the header
    is the columns every sheet has, and lines are SheetLine when there are several sheets.
    """
    limits = limits or ImportLimits.from_settings()
    if len(data) > limits.file_bytes:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": limits.file_bytes // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == XLSX_MAGIC:
        sheets = _xlsx_sheets(data, limits, all_sheets=all_sheets, progress=progress)
    elif name.endswith(".csv") or not name:
        sheets = [("", _csv_rows(data, _Counter(limits, cells=limits.cells, progress=progress)))]
    else:
        raise ImportFileError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    header, records, several = None, [], len(sheets) > 1
    for index, (sheet, rows) in enumerate(sheets):
        sheet_header = None
        for line, cells in rows:
            if sheet_header is None:
                sheet_header = [c.strip().lower() for c in cells]
                if not any(sheet_header):
                    if several:  # a sheet that is not a table (notes, a cover): not read
                        break
                    raise ImportFileError(_("The first line must be the header row of column names."))
                header = sheet_header if header is None else [h for h in header if h in sheet_header]
                continue
            if not any(c.strip() for c in cells):
                continue
            key = SheetLine(index, line, sheet) if several else line
            records.append(
                (key, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(sheet_header) if h})
            )
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return header, records


def _csv_rows(data, counter):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_('The file is not UTF-8 text. Save it as "CSV UTF-8" and try again.')) from exc
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for cells in reader:
            counter.add(len(cells))
            # A record starts on the line after the previous record ended (quoted
            # values may span lines), which is the line number a spreadsheet user sees.
            yield previous_end + 1, cells
            previous_end = reader.line_num
    except csv.Error as exc:
        raise ImportFileError(
            _("line %(line)s: the CSV cannot be read (%(error)s).") % {"line": previous_end + 1, "error": exc}
        ) from exc


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


NOT_A_WORKBOOK = gettext_lazy("The file is not a readable Excel (.xlsx) workbook.")
TOO_LARGE_WORKBOOK = gettext_lazy("The workbook is too large to open. Save the data as CSV and upload that.")
# Any cell or row start tag, with or without a namespace prefix: counted on the raw bytes (fast)
# before the sheet is parsed (slow), so a sheet of millions of tiny cells is refused at once.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


_SHEET_PART = re.compile(r"(?i)(worksheets/[^/]+|sharedstrings)\.xml$")
_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _count_tags(archive, paths, limits):
    """Refuse a workbook whose sheets' raw XML holds more cells or rows than the caps allow (its
    shared strings count as cells: openpyxl reads them all when it opens the workbook)."""
    cells = rows = 0
    for path in paths:
        tail = b""
        with archive.open(path) as part:
            while True:
                chunk = part.read(1 << 20)
                block = tail + chunk
                cut = max(0, len(block) - 16) if chunk else len(block)  # a tag across chunks: counted next time
                cells += sum(1 for _match in _CELL_TAG.finditer(block, 0, cut))
                cells += sum(1 for _match in _STRING_TAG.finditer(block, 0, cut))  # shared strings
                rows += sum(1 for _match in _ROW_TAG.finditer(block, 0, cut))
                tail = block[cut:]
                if cells > limits.xlsx_cells:
                    raise ImportFileError(too_many_cells(limits.xlsx_cells))
                if rows > limits.rows:
                    raise ImportFileError(
                        _("The file has more than %(max)s rows. Split it into smaller files.")
                        % {"max": f"{limits.rows:,}"}
                    )
                if not chunk:
                    break


def _xlsx_sheets(data, limits, *, all_sheets=False, progress=None):
    """[(sheet name, rows)]: the first sheet (or every sheet) as text rows, each checked against
    the caps before and while it is read (see _count_tags, _Counter)."""
    from openpyxl import load_workbook  # noqa: PLC0415 - openpyxl is heavy: loaded only when an .xlsx is uploaded

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(str(NOT_A_WORKBOOK)) from exc
    if sum(part.file_size for part in parts) > limits.xlsx_unpacked_bytes:  # a "zip bomb": small to upload
        raise ImportFileError(str(TOO_LARGE_WORKBOOK))
    # Counted before openpyxl opens the workbook: it reads a whole sheet to size one with no <dimension>.
    sheet_parts = [part.filename for part in parts if _SHEET_PART.search(part.filename)]
    try:
        _count_tags(archive, sheet_parts, limits)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ImportFileError(str(NOT_A_WORKBOOK)) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a file that is not a workbook
        raise ImportFileError(str(NOT_A_WORKBOOK)) from exc
    try:
        worksheets = workbook.worksheets if all_sheets else workbook.worksheets[:1]
        counter = _Counter(limits, cells=limits.xlsx_cells, progress=progress)
        sheets = []
        for sheet in worksheets:
            width, height = sheet.max_column or 0, sheet.max_row or 0  # the sheet's declared size
            if width * height > limits.xlsx_cells:
                raise ImportFileError(too_many_cells(limits.xlsx_cells))
            sheets.append((sheet.title, _sheet_rows(workbook, sheet, counter)))
    except ImportFileError:
        workbook.close()
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part
        workbook.close()
        raise ImportFileError(str(NOT_A_WORKBOOK)) from exc
    workbook.close()
    return sheets


def _sheet_rows(workbook, sheet, counter):
    """A sheet's rows as text, read in one streaming pass. A formula counts as the result the
    spreadsheet saved with it (what its user saw); nothing is ever calculated here. A formula
    saved without a result (some tools write them so) is refused, listing the cells, rather
    than read as blank. Merged cells hold their value in the top-left cell only, as in a CSV."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser  # noqa: PLC0415 - openpyxl is heavy: loaded only when an .xlsx is uploaded

    unsaved = []

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                unsaved.append(element.get("r") or f"{cell['column']}:{cell['row']}")
            return cell

    rows = []
    try:
        with workbook._archive.open(sheet._worksheet_path) as source:  # noqa: SLF001 - one pass over the sheet's part
            parser = Parser(
                source,
                sheet._shared_strings,  # noqa: SLF001 - as openpyxl's own read-only sheet reads it
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,  # noqa: SLF001
                timedelta_formats=workbook._timedelta_formats,  # noqa: SLF001
            )
            expected = 1
            for number, cells in parser.parse():
                for missing in range(expected, number):  # rows the file leaves out are blank rows
                    counter.add(0)
                    rows.append((missing, []))
                width = max((cell["column"] for cell in cells), default=0)
                counter.add(width)
                values = [None] * width
                for cell in cells:
                    values[cell["column"] - 1] = cell["value"]
                rows.append((number, [_cell_text(v) for v in values]))
                expected = number + 1
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part
        raise ImportFileError(str(NOT_A_WORKBOOK)) from exc
    if unsaved:
        listed = ", ".join(unsaved[:MAX_LISTED]) + ("…" if len(unsaved) > MAX_LISTED else "")
        raise ImportFileError(
            _(
                "These cells hold formulas with no saved result: %(cells)s. Open the file in Excel, save it and "
                "upload it again, or paste the values in place of the formulas."
            )
            % {"cells": listed}
        )
    return rows


class CodeChoiceField(forms.ChoiceField):
    """A choice field for CSV codes whose error lists the codes that are allowed."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, **kwargs)
        codes = ", ".join(str(value) for value, _label in choices if value != "")
        self.error_messages["invalid_choice"] = (
            gettext_lazy("“%(value)s” is not a valid code; use one of: ") + codes + "."
        )


# Register codes (DESIGN.md): checked with the models' own pattern, and the message names the
# value, so a row's problem reads on its own in a list of errors.
def _register_code_validator():
    return RegexValidator(
        register_code_validator.regex,
        gettext_lazy(
            "“%(value)s” is not a valid code: use 1 to 40 letters, digits, full stops, hyphens and underscores "
            "(for example 7A1, CARD or E.B.3)."
        ),
    )


class RegisterCodeField(forms.CharField):
    """A provider, service or indicator code: kept exactly as written, never changed in case."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_register_code_validator())


def code_list_errors(codes):
    """The messages for codes in a `;`-separated list that are not valid register codes."""
    validator = _register_code_validator()
    messages = []
    for code in codes:
        try:
            validator(code)
        except ValidationError as exc:
            messages.extend(exc.messages)
    return messages


def split_codes(text):
    """`;`-separated codes, stripped, blanks and repeats dropped, in the file's order."""
    return list(dict.fromkeys(code.strip() for code in (text or "").split(";") if code.strip()))


# {id: (the codes, {lowercased: [code]})} of the last few lookups' known codes: a file of
# hundreds of thousands of rows in the wrong capitals must not scan every code for every row.
_lowered_codes = {}
_lowered_codes_lock = threading.Lock()


def _by_lowercase(known):
    with _lowered_codes_lock:
        entry = _lowered_codes.get(id(known))
        if entry is None or entry[0] is not known or entry[2] != len(known):
            index = {}
            for code in known:
                index.setdefault(code.lower(), []).append(code)
            if len(_lowered_codes) >= 8:
                _lowered_codes.pop(next(iter(_lowered_codes)))
            entry = _lowered_codes[id(known)] = (known, index, len(known))
        return entry[1]


def _near_miss_hint(codes, known):
    """ " Codes are matched exactly…: did you mean “7A1”?" when `known` holds any of `codes`
    in other capitals, else ""."""
    index = _by_lowercase(known)
    near = sorted({k for code in codes for k in index.get(code.lower(), []) if k not in codes})
    if not near:
        return ""
    return " " + _("Codes are matched exactly, capitals included: did you mean %(codes)s?") % {
        "codes": ", ".join(f"“{k}”" for k in near)
    }


def unknown_code_message(message, code, known):
    """`message` (saying `code` is unknown), with the hint when `known` has it in other capitals."""
    return message + _near_miss_hint([code], known)


def unknown_codes_message(codes, known):
    """ "Unknown service code(s): …", with the same hint."""
    return _("Unknown service code(s): %(codes)s.") % {"codes": ", ".join(codes)} + _near_miss_hint(codes, known)


class YesNoField(forms.Field):
    """`yes` / `no` (also true/false, 1/0, y/n); blank means no."""

    TRUE = {"yes", "y", "true", "1"}
    FALSE = {"no", "n", "false", "0", ""}

    def to_python(self, value):
        text = (value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(gettext_lazy("Enter yes or no."))

    def validate(self, value):
        pass


class Importer:
    """Validate a whole file with a per-row form, then write it in one transaction.

    Subclasses set `columns` (required header names), `key` (the natural-key column)
    and `form_class`, and implement `save_row(cleaned) -> "created"|"updated"|"unchanged"`.
    """

    columns: list = []
    key: str = ""
    form_class: type = forms.Form
    label = ""

    def prepare(self):
        """Load reference data once per file (lookups by code), before validation."""

    def form_kwargs(self):
        return {}

    def validate_row(self, row, line):
        """Parse one row: (cleaned values that parsed, [RowError])."""
        form = self.form_class(data=row, **self.form_kwargs())
        errors = []
        if not form.is_valid():
            for column, messages in form.errors.items():
                for message in messages:
                    errors.append(RowError(line, "" if column == "__all__" else column, message))
        return form.cleaned_data, errors

    def describe_key(self, key):
        """The natural key as the file writes it, for messages."""
        return key if isinstance(key, str) else ", ".join(str(part) for part in key)

    def row_key(self, cleaned):
        """The row's natural key (a column, or a tuple of columns); None if it did not parse."""
        if isinstance(self.key, str):
            return cleaned.get(self.key)
        values = tuple(cleaned.get(column) for column in self.key)
        return None if None in values else values

    def check_row(self, cleaned, line):
        """Checks against the loaded reference data; return [RowError].

        `cleaned` holds only the columns that parsed, so look values up with .get().
        """
        return []

    all_sheets = False  # read every sheet of a workbook, not only the first
    progress = None  # progress(stage, done, total): how far a long import has got (a job's page)
    PROGRESS_EVERY = 500  # rows between two progress reports

    def is_blank(self, row):
        """A row to skip although some cells hold text (the returns template's rows left to fill)."""
        return False

    def report(self, stage, done, total=None):
        if self.progress is not None:
            self.progress(stage, done, total)

    def run(self, data: bytes, filename: str = "", dry_run: bool = False) -> ImportResult:
        """Read the file (under the caps of ImportLimits) and import its rows (see run_records)."""
        self.report("reading", 0)
        header, records = read_table(
            data, filename, all_sheets=self.all_sheets, progress=lambda rows: self.report("reading", rows)
        )
        return self.run_records(header, records, filename=filename, dry_run=dry_run)

    def run_records(self, header, records, *, filename="", dry_run=False) -> ImportResult:
        """Check every record (line, {column: text}), then write them all in one transaction,
        or nothing if any is bad. `header` is the columns the records have."""
        missing = [c for c in self.columns if c not in header]
        if missing:
            raise ImportFileError(
                _("The header is missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        self.prepare()
        kept = [(line, row) for line, row in records if not self.is_blank(row)]
        result = ImportResult(rows=len(kept), dry_run=dry_run, skipped=len(records) - len(kept))
        valid = []
        seen = {}
        total = len(kept)
        for done, (line, row) in enumerate(kept, start=1):
            if done % self.PROGRESS_EVERY == 0:
                self.report("checking", done, total)
            cleaned, row_errors = self.validate_row(row, line)
            key = self.row_key(cleaned)
            if key is not None and key in seen:
                column = self.key if isinstance(self.key, str) else self.key[0]
                shown = self.describe_key(key)
                row_errors.append(
                    RowError(
                        line,
                        column,
                        _("“%(key)s” appears twice in the file (first on line %(first)s).")
                        % {"key": shown, "first": seen[key]},
                    )
                )
            elif key is not None:
                seen[key] = line
            # Reference checks run on whatever parsed, so one pass shows every problem in a row.
            row_errors.extend(self.check_row(cleaned, line))
            if row_errors:
                result.errors.extend(row_errors)
                continue
            valid.append((line, cleaned))
        self.report("checking", total, total)
        if result.errors:
            return result
        reason = change_reason() or _("Imported from %(file)s") % {"file": filename or _("a file")}
        self.report("saving", 0, total)
        with transaction.atomic(), attributed(reason=reason):
            self._apply(valid, result)
            if result.errors or dry_run:
                # A dry run does the whole import to count its effect, then undoes it.
                transaction.set_rollback(True)
        if result.errors:
            result.created = result.updated = result.unchanged = 0
        return result

    def _apply(self, rows, result):
        """Write the valid rows; by default one at a time, so history is kept for each."""
        for line, cleaned in rows:
            try:
                outcome = self.save_row(cleaned)
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        result.errors.append(RowError(line, "" if column == NON_FIELD_ERRORS else column, message))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)

    def save_row(self, cleaned):
        raise NotImplementedError


def update_or_create_if_changed(model, lookup: dict, values: dict):
    """Create the row, or update only the fields that differ, so a re-import writes nothing.

    Returns (instance, "created" | "updated" | "unchanged").
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance._change_reason = change_reason()
        instance.save()
        return instance, "created"
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        return instance, "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean()
    instance._change_reason = change_reason()
    instance.save()
    return instance, "updated"


class MoneyField(forms.DecimalField):
    """Pounds, tolerating a £ sign and thousands separators as spreadsheets write them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class WholeNumberField(forms.IntegerField):
    """A non-negative whole number (planned activity), tolerating thousands separators."""

    default_error_messages = {"invalid": gettext_lazy("Enter a whole number, 0 or more.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2_147_483_647)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = gettext_lazy("Enter a whole number, 0 or more.")
        self.error_messages["max_value"] = gettext_lazy("Enter a whole number under 2,147,483,648.")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


class IsoDateField(forms.DateField):
    """Dates as YYYY-MM-DD, the one format of DESIGN.md."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": gettext_lazy("Enter a date as YYYY-MM-DD.")}


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell safe to open in a spreadsheet (no formula injection).

    Text starting with =, +, -, @, tab or carriage return gets a leading apostrophe,
    which spreadsheets show as plain text. Numbers and dates are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
