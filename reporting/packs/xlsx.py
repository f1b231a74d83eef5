"""The pack as a workbook: an About sheet, then one sheet per section (the exception reports and
data completeness bring a second: action plans, returns not received). Text is neutralised
against formula injection; dates show as dates."""

import io
from datetime import date

import pandas as pd
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from providers.importing import neutralise

from .data import SCORECARD_AREAS, PackData
from .presentation import (
    TINTS,
    direction_word,
    is_received,
    is_set,
    level_meaning,
    months_text,
    no_return_word,
    provisional_text,
    rag_word,
    rated_count,
)

SHEET_TITLE_MAX = 31  # Excel's limit
WIDTH_SAMPLE_ROWS = 200  # rows read to size a column
SCORECARD_RAGS = ["usc", "planned", *SCORECARD_AREAS]
BOLD = Font(bold=True)


def _none(value):
    return None if value is None or pd.isna(value) else value


def sheet(book, title, header, rows, *, first=False):
    """A sheet with a bold, frozen header row, a filter, and columns as wide as their text."""
    ws = book.active if first else book.create_sheet()
    ws.title = title[:SHEET_TITLE_MAX]
    ws.append([str(h) for h in header])
    for cell in ws[1]:
        cell.font = BOLD
    for row in rows:
        ws.append([neutralise(str(v)) if isinstance(v, str) else v for v in row])
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for n, h in enumerate(header, start=1):
        longest = max([len(str(h))] + [len(str(r[n - 1])) for r in rows[:WIDTH_SAMPLE_ROWS] if r[n - 1] is not None])
        ws.column_dimensions[get_column_letter(n)].width = min(max(10, longest + 2), 60)
    return ws


def about(book, data: PackData, titles):
    """The first sheet: the committee, the months, what the sheets are and the marks used."""
    records = data.scorecard.to_dict("records")
    rated = rated_count(records)
    provisional = provisional_text(data)
    ws = sheet(
        book,
        _("About"),
        [_("Item"), _("Value")],
        [
            [_("Committee"), data.committee_name],
            [_("Months covered"), months_text(data.months)],
            [_("Prepared on"), data.built_on],
            *([[_("Status"), provisional]] if provisional else []),
            [_("Providers rated"), rated],
            [_("Providers with no return this month"), len(records) - rated],
            [_("Sheets"), ", ".join(str(t) for t in [*titles, _("Returns not received")])],
            [
                _("Overridden"),
                _(
                    "“(overridden)” marks a key area a director has overridden; an override of Access "
                    "counts for both USC and Planned."
                ),
            ],
            [
                _("No return"),
                _(
                    "The provider's return for the month was not received, so the month is not rated; "
                    "the provider keeps its escalation level."
                ),
            ],
        ],
        first=True,
    )
    ws.column_dimensions["B"].width = 60


def levels(book, data: PackData, title):
    no_return_at = data.levels["no_return"] if "no_return" in data.levels else pd.Series(0, index=data.levels.index)
    sheet(
        book,
        title,
        [
            _("Level"),
            _("What it means"),
            _("Providers"),
            _("Of which no return this month"),
            _("Before this period"),
            _("Recommended this month"),
        ],
        [
            [r.level, level_meaning(r.level), r.providers, int(missing), r.before, r.recommended]
            for r, missing in zip(data.levels.itertuples(), no_return_at, strict=True)
        ]
        + [[_("Step-downs waiting for a decision"), "", data.pending_step_downs, "", "", ""]],
    )


def decisions(book, data: PackData, title):
    sheet(
        book,
        title,
        [
            _("Recorded"),
            _("Ratings for"),
            _("Provider"),
            _("From level"),
            _("To level"),
            _("Kind"),
            _("Reasons"),
            _("Rationale"),
            _("By"),
        ],
        [
            [
                d.date,
                d.month,
                d.provider,
                None if pd.isna(d.from_level) else int(d.from_level),
                d.to_level,
                d.kind,
                d.reasons,
                d.rationale,
                d.decided_by,
            ]
            for d in data.decisions.itertuples()
        ],
    )


def scorecard(book, data: PackData, title):
    """Each RAG as a word (shaded) beside its arrow as a word; "No return" where nothing was rated."""
    records = data.scorecard.to_dict("records")
    area_labels = [
        _("Access: USC"),
        _("Access: planned"),
        _("Quality and safety"),
        _("Finance and activity"),
        _("Patient experience"),
        _("Governance"),
    ]
    against = _("%(column)s, against last month")
    header = [_("Provider"), _("Code")]
    for label in [*area_labels, _("Recommended level"), _("Escalation level")]:
        header += [label, against % {"column": label}]
    header.append(_("Step-down proposed to"))
    ws = sheet(book, title, header, [_scorecard_cells(r) for r in records])
    fills = {rag: PatternFill("solid", fgColor=tint.lstrip("#").upper()) for rag, tint in TINTS.items()}
    for row_number, r in enumerate(records, start=2):
        if not is_received(r):
            continue
        for n, area in enumerate(SCORECARD_RAGS):
            if r[area] in fills:
                ws.cell(row=row_number, column=3 + 2 * n).fill = fills[r[area]]


def _scorecard_cells(r):
    cells = [r["provider"], r["code"]]
    if not is_received(r):
        cells += [no_return_word(), ""] * (len(SCORECARD_RAGS) + 1)  # the areas and the recommended level
    else:
        for area in SCORECARD_RAGS:
            rag = r[area] if isinstance(r[area], str) else ""
            word = rag_word(rag)
            if is_set(r.get(f"{area}_overridden")):
                word = _("%(rag)s (overridden)") % {"rag": word}
            cells += [word, direction_word(r[f"{area}_direction"])]
        cells += [
            int(r["recommended"]) if is_set(r["recommended"]) else _("Not rated"),
            direction_word(r["recommended_direction"]),
        ]
    cells += [
        int(r["escalation"]) if is_set(r["escalation"]) else None,
        direction_word(r["escalation_direction"]),
        int(r["pending_step_down"]) if is_set(r["pending_step_down"]) else None,
    ]
    return cells


def exceptions(book, data: PackData, title):
    """The exception reports' indicators, then their action plans on a sheet of their own."""
    sheet(
        book,
        title,
        [
            _("Provider"),
            _("Code"),
            _("Escalation level"),
            _("Key area"),
            _("Indicator"),
            _("Value"),
            _("Target"),
            _("Rating"),
            _("Why"),
            _("Team's note"),
        ],
        [
            [
                e.provider,
                e.code,
                e.escalation_level,
                i.area,
                i.indicator,
                _none(i.value),
                _none(i.target),
                rag_word(i.rag),
                i.reason,
                i.note,
            ]
            for e in data.exceptions
            for i in e.indicators.itertuples()
        ],
    )
    sheet(
        book,
        _("Action plans"),
        [_("Provider"), _("Plan"), _("Key area"), _("Indicator"), _("Actions"), _("Owner"), _("Next review")],
        [
            [e.provider, pl["title"], pl["area"], pl["indicator"], pl["actions"], pl["owner"], pl["next_review"]]
            for e in data.exceptions
            for pl in e.plans
        ],
    )
    sheet(
        book,
        _("Flags"),
        [_("Provider"), _("Code"), _("Flag")],
        [[e.provider, e.code, flag] for e in data.exceptions for flag in e.flags],
    )


def completeness(book, data: PackData, title):
    """Completeness and timeliness per team and month, then the returns not received."""
    sheet(
        book,
        title,
        [_("Month"), _("Commissioning team"), _("Providers"), _("Complete (%)"), _("On time (%)"), _("Overdue")],
        [
            [c.month, c.team, c.providers, _none(c.completeness), _none(c.timeliness), c.overdue]
            for c in data.completeness.itertuples()
        ],
    )
    sheet(
        book,
        _("Returns not received"),
        [_("Month"), _("Provider"), _("Code"), _("Commissioning team"), _("Return")],
        [[m.month, m.provider, m.code, m.team, m.state] for m in data.no_returns.itertuples()],
    )


def renewals(book, data: PackData, title):
    sheet(
        book,
        title,
        [
            _("Reference"),
            _("Provider"),
            _("Title"),
            _("Commissioning team"),
            _("Annual value (£)"),
            _("Renewal due"),
            _("Tier"),
            _("Date passed"),
        ],
        [
            [
                c.reference,
                c.provider,
                c.title,
                c.team,
                c.annual_value,
                c.renewal_date,
                c.tier,
                _("Yes") if c.overdue else _("No"),
            ]
            for c in data.renewals.itertuples()
        ],
    )


def summits(book, data: PackData, title):
    sheet(
        book,
        title,
        [_("Held"), _("Provider"), _("Code"), _("Chair"), _("Attendees"), _("Open actions")],
        [[m.date, m.provider, m.code, m.chair, m.attendees, m.open_actions] for m in data.summits.itertuples()],
    )


def corporate_risks(book, data: PackData, title):
    sheet(
        book,
        title,
        [
            _("Provider"),
            _("Code"),
            _("Risk"),
            _("Score"),
            _("Likelihood"),
            _("Consequence"),
            _("Mitigation"),
            _("Owner"),
            _("Review date"),
            _("Date passed"),
        ],
        [
            [
                r.provider,
                r.code,
                r.risk,
                r.score,
                r.likelihood,
                r.consequence,
                r.mitigation,
                r.owner,
                r.review_date,
                _("Yes") if r.review_passed else _("No"),
            ]
            for r in data.corporate_risks.itertuples()
        ],
    )


def build(data: PackData, sections):
    """The workbook's bytes: About, then each (title, builder) of `sections` in turn."""
    book = Workbook()
    about(book, data, [title for title, _builder in sections])
    for title, builder in sections:
        builder(book, data, title)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
