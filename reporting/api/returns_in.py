"""Returns in through the API, like DHIS2's dataValueSets: a provider's month or many, as JSON or
as the returns.csv format, with the upload's own checks, messages and all-or-nothing rule.

The seam with the upload is small on purpose: a JSON body is written out as returns.csv rows
and handed to assurance's ReturnImporter, the same validation the web upload and
`import_returns` run; each problem's line is then turned back into the JSON pointer of the
value at fault. Values outside their usual range need a note in their own row (METHODOLOGY 8):
an API client cannot tick a confirmation, so flagged rows without one are refused and listed.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assurance import access
from assurance.importers import ReturnImporter
from providers.importing import attributed, read_table
from providers.models import Provider
from providers.periods import format_period, parse_period

COLUMNS = ReturnImporter.columns  # provider_code, indicator_code, period, value, rag, status, note
# Where a returns.csv column lives in the JSON body: in the return ("provider", "period") or the value.
RETURN_KEYS = {"provider_code": "provider", "period": "period"}
VALUE_KEYS = {"indicator_code": "indicator", "value": "value", "rag": "rag", "status": "status", "note": "note"}


@dataclass
class Problem:
    message: str
    line: int | None = None
    pointer: str | None = None
    column: str = ""

    def as_dict(self):
        return {"line": self.line, "pointer": self.pointer, "column": self.column, "message": self.message}


@dataclass
class JsonReturns:
    """A JSON body as returns.csv: the bytes, each record's pointers, the versions sent, problems."""

    data: bytes = b""
    pointers: list = field(default_factory=list)  # per record: (return pointer, value pointer)
    versions: dict = field(default_factory=dict)  # (provider code, month) -> version
    problems: list = field(default_factory=list)


def _text(value):
    """A JSON scalar as the text a CSV cell would hold; None when it is not a scalar."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    return None


def _unreadable(text):
    """True when `text` holds what a returns.csv cannot carry: a NUL, or half a character (a lone
    surrogate, which JSON's \\u escapes allow)."""
    if "\x00" in text:
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def _unreadable_problem(key, pointer):
    return Problem(
        _("Remove the characters that are not text (such as a null or half of a character) from %(key)s.")
        % {"key": key},
        pointer=pointer,
    )


def _check_return(index, item, out, writer):
    pointer = f"/returns/{index}"
    if not isinstance(item, dict):
        out.problems.append(Problem(_("Each return must be an object."), pointer=pointer))
        return
    cells = {}
    for key in ("provider", "period"):
        text = _text(item.get(key))
        # Blank once trimmed, as the CSV reading trims it (spaces, invisible separators).
        if not text or not text.strip():
            out.problems.append(
                Problem(_("Give the return's %(key)s as text.") % {"key": key}, pointer=f"{pointer}/{key}")
            )
            text = ""
        elif _unreadable(text):
            out.problems.append(_unreadable_problem(key, f"{pointer}/{key}"))
            text = ""
        cells[key] = text
    values = item.get("values")
    if not isinstance(values, list):
        out.problems.append(Problem(_("Give the return's values as a list."), pointer=f"{pointer}/values"))
        return
    version = item.get("version")
    if version is not None:
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            out.problems.append(
                Problem(_("The version must be a whole number, 0 or more."), pointer=f"{pointer}/version")
            )
        elif values:  # a return with no values writes nothing, so has nothing to be stale against
            _version_add(out, cells["provider"], cells["period"], version, f"{pointer}/version")
    for position, value in enumerate(values):
        _check_value(pointer, position, value, cells, out, writer)


def _version_add(out, provider, period_text, version, pointer):
    try:
        key = (provider, parse_period(period_text))
    except ValueError:
        return  # the importer reports the month itself
    if out.versions.setdefault(key, version) != version:
        out.problems.append(Problem(_("Another entry for this return gives a different version."), pointer=pointer))


def _check_value(return_pointer, position, value, cells, out, writer):
    pointer = f"{return_pointer}/values/{position}"
    if not isinstance(value, dict):
        out.problems.append(Problem(_("Each value must be an object."), pointer=pointer))
        return
    row = {"provider_code": cells["provider"], "period": cells["period"]}
    for column, key in VALUE_KEYS.items():
        text = _text(value.get(key))
        if text is None:
            out.problems.append(
                Problem(_("Give %(key)s as text or a number.") % {"key": key}, pointer=f"{pointer}/{key}")
            )
            text = ""
        elif _unreadable(text):
            out.problems.append(_unreadable_problem(key, f"{pointer}/{key}"))
            text = ""
        row[column] = text
    # Blank once trimmed, as the CSV reading trims it; else the row would be skipped as a blank line.
    if not row["indicator_code"].strip():
        out.problems.append(Problem(_("Give the indicator's code."), pointer=f"{pointer}/indicator"))
    writer.writerow([row[column] for column in COLUMNS])
    out.pointers.append((return_pointer, pointer))


def json_to_returns_csv(body) -> JsonReturns:
    """Check a JSON body's shape and write it out as returns.csv (see the module)."""
    out = JsonReturns()
    if not isinstance(body, dict) or not isinstance(body.get("returns"), list):
        out.problems.append(Problem(_('Send an object with a list of returns: {"returns": [...]}.'), pointer=""))
        return out
    buffer = io.StringIO()
    # Every cell quoted: a carriage return alone in a value (a note's line break) must stay inside its
    # cell; minimal quoting with "\n" lines leaves it bare and the row would be read as two.
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for index, item in enumerate(body["returns"]):
        _check_return(index, item, out, writer)
    out.data = buffer.getvalue().encode()
    return out


def _pointer_for(pointers, line_pointer, line, column):
    """The JSON pointer of a problem the importer found on `line` in `column`."""
    if line not in line_pointer:
        return None
    return_pointer, value_pointer = line_pointer[line]
    if column in RETURN_KEYS:
        return f"{return_pointer}/{RETURN_KEYS[column]}"
    if column in VALUE_KEYS:
        return f"{value_pointer}/{VALUE_KEYS[column]}"
    return value_pointer


@dataclass
class WriteOutcome:
    """What became of a write: for the response (reporting.api.views.ReturnsView)."""

    ok: bool
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    rating_job: int | None = None


def returns_submit(*, user, data: bytes, pointers=None, versions=None, dry_run=False, reason="") -> WriteOutcome:
    """Check and write returns.csv `data` for `user` (a team member, for their teams' providers).

    Raises ImportFileError (the file as a whole: header, encoding) and StaleReturn (a version
    sent is no longer the return's), as the upload's services do; everything else is listed.
    `pointers`: per record, the JSON pointers of its return and value (a JSON body).
    """
    line_pointer = {}
    if pointers is not None:
        _header, records = read_table(data)
        line_pointer = {line: pointer for (line, _row), pointer in zip(records, pointers, strict=True)}
    importer = ReturnImporter(
        user=user,
        allowed_provider_ids=access.provider_ids(user, access.ENTER_RETURN),
        outliers=ReturnImporter.ASK,
        versions=_versions_by_id(versions or {}),
    )
    with attributed(reason=reason, user=user):
        result = importer.run(data, "returns.csv", dry_run=dry_run)
    problems = [
        Problem(
            error.message,
            line=None if pointers is not None else error.line,
            pointer=_pointer_for(pointers, line_pointer, error.line, error.column),
            column=error.column,
        )
        for error in result.errors
    ]
    flagged = []
    for row in result.flagged:
        pointer = _pointer_for(pointers, line_pointer, row.line, "value")
        line = None if pointers is not None else row.line
        flagged.append(
            {
                "line": line,
                "pointer": pointer,
                "provider": row.provider_code,
                "indicator": row.indicator.code,
                "period": format_period(row.period),
                "value": row.value_text,
                "usual_range": str(row.range_text),
                "has_note": bool(row.note.strip()),
            }
        )
        if not row.note.strip():
            problems.append(
                Problem(
                    _(
                        "The value %(value)s is outside its usual range (%(range)s). Check it, and confirm it with "
                        "a note in this row."
                    )
                    % {"value": row.value_text, "range": row.range_text},
                    line=line,
                    pointer=_pointer_for(pointers, line_pointer, row.line, "note"),
                    column="note",
                )
            )
    ok = not problems
    return WriteOutcome(
        ok=ok,
        dry_run=dry_run,
        rows=result.rows,
        created=result.created if ok else 0,
        updated=result.updated if ok else 0,
        unchanged=result.unchanged if ok else 0,
        problems=problems,
        flagged=flagged,
        rating_job=result.rating_run.pk if ok and not dry_run and result.rating_run else None,
    )


def _versions_by_id(versions):
    """{(provider code, month): version} -> {(provider id, month): version}, for known providers."""
    ids = dict(Provider.objects.filter(code__in={code for code, _month in versions}).values_list("code", "pk"))
    return {(ids[code], month): version for (code, month), version in versions.items() if code in ids}
