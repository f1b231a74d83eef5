"""What each part of the PDF says (METHODOLOGY 6): the cover, then one builder per section,
each appending its flowables to a `PdfPack` (its own page breaks and page template included,
so the sections can be chosen and ordered by `sections.SECTIONS`)."""

import pandas as pd
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from assurance.choices import Rag
from providers.periods import add_months

from .. import charts, spc
from .data import SCORECARD_AREAS, ExceptionPage, PackData
from .pdf import PdfPack, esc, fitted_widths, stack
from .presentation import (
    TINTS,
    arrow,
    is_received,
    is_set,
    level_meaning,
    no_return_word,
    provisional_text,
    rag_word,
    rated_count,
)

SCORECARD_BLOCK = 30
PLAN_ACTIONS_MAX = 600


def _number(value, places=1):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"


def _percent(value):
    return "–" if value is None or pd.isna(value) else f"{value:.0f}%"


def _widths(total, *shares):
    return [total * share for share in shares]


# The cover ------------------------------------------------------------------------------------


def cover(pdf: PdfPack, data: PackData):
    """The committee, the months, the provisional notice if any, and the pack in numbers."""
    p = pdf.p
    records = data.scorecard.to_dict("records")
    rated = rated_count(records)
    provisional = provisional_text(data)
    at_level_3_or_4 = int(data.levels.loc[data.levels["level"] >= 3, "providers"].sum())
    pdf.add(
        p(data.committee_name, "title"),
        p(_("Provider assurance report"), "subtitle"),
        p(pdf.period_text, "subtitle"),
        *(pdf.notice(provisional) if provisional else []),
        Spacer(1, 10 * mm),
        *([p(_("Providers in this pack: %(scope)s.") % {"scope": data.scope}, "body")] if data.scope else []),
        p(
            _("Prepared on %(date)s from the ratings stored for each month.")
            % {"date": date_format(data.built_on, "j F Y")},
            "body",
        ),
        p(
            _(
                "Ratings follow the commissioning assurance framework: each indicator, key area and provider is "
                "rated Red, Amber or Green every month, and providers move between four escalation levels."
            ),
            "body",
        ),
        Spacer(1, 6 * mm),
        pdf.table(
            [[p(_("In this pack"), "cellbold"), p("")]]
            + [
                [p(_("Providers rated")), p(str(rated))],
                *(
                    [[p(_("Providers with no return this month")), p(str(len(records) - rated))]]
                    if len(records) > rated
                    else []
                ),
                [p(_("At level 3 or 4")), p(str(at_level_3_or_4))],
                [p(_("Escalation decisions recorded since the previous pack")), p(str(len(data.decisions)))],
                [p(_("Exception reports")), p(str(len(data.exceptions)))],
                [p(_("Contracts due for renewal within six months")), p(str(len(data.renewals)))],
            ],
            _widths(pdf.width, 0.6, 0.4),
        ),
        PageBreak(),
    )


# 1. Level summary -----------------------------------------------------------------------------


def levels(pdf: PdfPack, data: PackData, title):
    """Providers at each level, against the month before the period, and as recommended."""
    p = pdf.p
    month = date_format(data.period, "F Y")
    pdf.add(pdf.heading(title, "h1"))
    pdf.add(
        p(
            _(
                "Providers at each escalation level at the end of %(month)s, against the month "
                "before this pack's period, and the level this month's ratings recommend."
            )
            % {"month": month},
            "body",
        )
    )
    rows = [
        pdf.header_row(
            _("Level"), _("What it means"), _("Providers"), _("Before this period"), _("Recommended this month")
        )
    ]
    for row in data.levels.itertuples():
        rows.append(
            [
                p(_("Level %(n)s") % {"n": row.level}),
                p(level_meaning(row.level)),
                p(row.providers),
                p(row.before),
                p(row.recommended),
            ]
        )
    pdf.add(pdf.table(rows, _widths(pdf.width, 0.1, 0.48, 0.12, 0.15, 0.15)), Spacer(1, 4 * mm))
    missing = int(data.levels["no_return"].sum()) if "no_return" in data.levels else 0
    if missing:
        pdf.add(
            p(
                ngettext(
                    "%(n)s provider's return for %(month)s was not received (No return): it keeps its level, and the month "
                    "is not rated.",
                    "%(n)s providers' returns for %(month)s were not received (No return): they keep their levels, and the "
                    "month is not rated.",
                    missing,
                )
                % {"n": missing, "month": month},
                "body",
            )
        )
    pdf.add(
        p(
            ngettext(
                "%(n)s step-down is waiting for the decision of the director who owns the level.",
                "%(n)s step-downs are waiting for the decision of the director who owns the level.",
                data.pending_step_downs,
            )
            % {"n": data.pending_step_downs},
            "body",
        )
    )


# 2. Decisions since the previous pack ---------------------------------------------------------


def decisions(pdf: PdfPack, data: PackData, title):
    """Every change of escalation level recorded since the committee's previous pack was built,
    whatever month it concerns (METHODOLOGY 6)."""
    p = pdf.p
    pdf.add(pdf.heading(title, "h1"))
    pdf.add(p(decisions_intro(data), "body"))
    if data.decisions.empty:
        pdf.add(pdf.empty(_("No escalation decision has been recorded since then.")))
        return
    dates = [date_format(d, "j M Y") for d in data.decisions["date"]]
    months = [date_format(m, "M Y") for m in data.decisions["month"]]
    rows = [pdf.header_row(_("Recorded"), _("Month"), _("Provider"), _("Change"), _("Kind"), _("Why"), _("By"))]
    for d, recorded, month in zip(data.decisions.itertuples(), dates, months, strict=True):
        change = (
            _("Level %(from)s to %(to)s") % {"from": int(d.from_level), "to": d.to_level}
            if pd.notna(d.from_level)
            else _("Started at level %(to)s") % {"to": d.to_level}
        )
        why = "; ".join(part for part in (d.reasons, d.rationale) if part)
        rows.append([recorded, month, p(d.provider), p(change), p(d.kind), p(why), p(d.decided_by)])
    widths = fitted_widths(pdf.width, [0.1, 0.08, 0.2, 0.12, 0.12, 0.27, 0.11], {0: dates, 1: months})
    pdf.add(pdf.table(rows, widths))


def since_day(data):
    """The day the pack's news starts: when the committee's previous pack was built, or the first day of
    the months covered for a first pack."""
    return timezone.localdate(data.decisions_since) if data.decisions_since is not None else data.period_from


def decisions_intro(data):
    """What the decisions section lists: since when, whatever month they concern."""
    if data.decisions_since is not None:
        return _(
            "Every change of escalation level recorded since this committee's previous pack was built on "
            "%(date)s, whatever month it concerns."
        ) % {"date": date_format(timezone.localtime(data.decisions_since), "j F Y")}
    return _(
        "Every change of escalation level recorded since %(date)s (this committee has no earlier pack), "
        "whatever month it concerns."
    ) % {"date": date_format(data.period_from, "j F Y")}


# 3. Scorecard ---------------------------------------------------------------------------------


def scorecard(pdf: PdfPack, data: PackData, title):
    """The RAG scorecard on landscape pages: areas, levels and arrows for every provider in scope."""
    provisional = provisional_text(data)
    pdf.add(NextPageTemplate("wide"), PageBreak(), pdf.heading(title, "h1"))
    if provisional:
        pdf.add(*pdf.notice(provisional))
    pdf.add(
        pdf.p(
            _(
                "G is Green, A Amber, R Red, – not rated; the cell's shade repeats the letter. Arrows compare with the "
                "month before: ▲ better, ▼ worse, ▶ the same. * an area a director has overridden (an override of Access "
                "counts for both USC and Planned). No return: the provider's return for the month was not received, so "
                "the month is not rated; the provider keeps its escalation level."
            ),
            "small",
        )
    )
    pdf.add(Spacer(1, 2 * mm))
    header = [
        _("Provider"),
        _("Access: USC"),
        _("Access: planned"),
        _("Quality and safety"),
        _("Finance and activity"),
        _("Patient experience"),
        _("Governance"),
        _("Recommended level"),
        _("Escalation level"),
    ]
    widths = [pdf.wide_width * 0.28] + [pdf.wide_width * 0.08] * 6 + [pdf.wide_width * 0.1, pdf.wide_width * 0.14]
    records = data.scorecard.to_dict("records")
    # One table per block of rows: reportlab re-applies a table's whole style at every page
    # split, so one table of thousands of shaded cells costs the square of its length.
    for start in range(0, max(len(records), 1), SCORECARD_BLOCK):
        rows, extra = [pdf.header_row(*header)], [("ALIGN", (1, 1), (-2, -1), "CENTER")]
        for n, record in enumerate(records[start : start + SCORECARD_BLOCK], start=1):
            rows.append(_scorecard_row(pdf, record, n, extra))
        pdf.add(pdf.table(rows, widths, extra=extra))


def _scorecard_row(pdf, record, row_number, extra):
    """One provider's cells; the shades of its RAG cells go into `extra`."""
    cells = [pdf.p(record["provider"])]
    if not is_received(record):
        cells += [no_return_word()] * 7  # USC, Planned, the four areas and the recommended level
    else:
        for column, rag_key in enumerate(["usc", "planned", *SCORECARD_AREAS], start=1):
            rag = record[rag_key] if isinstance(record[rag_key], str) else ""
            star = "*" if is_set(record.get(f"{rag_key}_overridden")) else ""
            cells.append(f"{rag or '–'}{star} {arrow(record[f'{rag_key}_direction'])}".strip())
            if rag in TINTS:
                extra.append(pdf.shade(column, row_number, TINTS[rag]))
        recommended = int(record["recommended"]) if is_set(record["recommended"]) else "–"
        cells.append(f"{recommended} {arrow(record['recommended_direction'])}".strip())
    cells.append(pdf.p(_level_text(record)))
    return cells


def _level_text(record):
    """The escalation level with its arrow, and the step-down proposed if any."""
    escalation = int(record["escalation"]) if is_set(record["escalation"]) else "–"
    text = f"{escalation} {arrow(record['escalation_direction'])}".strip()
    if record["pending_step_down"] and pd.notna(record["pending_step_down"]):
        text += " " + _("(step-down to %(n)s proposed)") % {"n": int(record["pending_step_down"])}
    return text


# 4. Exception pages ---------------------------------------------------------------------------


def exceptions(pdf: PdfPack, data: PackData, title):
    """A page for each provider at level 3 or 4 or with a Red area."""
    pdf.add(NextPageTemplate("body"), PageBreak(), pdf.heading(title, "h1"))
    pdf.add(
        pdf.p(
            _(
                "One page for each provider at escalation level 3 or 4, or with a Red key area: the Red and Amber "
                "indicators, a trend chart of the Red ones with their statistical process control limits, and the "
                "open action plans."
            ),
            "body",
        )
    )
    if not data.exceptions:
        pdf.add(pdf.empty(_("No provider is at level 3 or 4 or has a Red area this month.")))
    for number, page in enumerate(data.exceptions):
        pdf.add(PageBreak() if number else CondPageBreak(120 * mm))
        exception_page(pdf, data, page)


def exception_page(pdf: PdfPack, data: PackData, page: ExceptionPage):
    """One provider's page: its level, its areas, its Red and Amber indicators, their trends, its plans."""
    pdf.add(pdf.heading(f"{page.provider} ({page.code})", "h2"))
    pdf.add(pdf.p(_exception_facts(data, page), "body"))
    if page.flags:
        pdf.add(pdf.p(_("Flags: what is missing or overdue"), "h3"))
        pdf.add(*pdf.notice([f"⚑ {flag}" for flag in page.flags], style="cell"))
    _exception_areas(pdf, page)
    _exception_indicators(pdf, page)
    if page.charts:
        _exception_trends(pdf, page)
    _exception_plans(pdf, page)


def _exception_facts(data, page):
    if page.received:
        facts = _("Escalation level %(level)s; recommended level %(recommended)s this month.") % {
            "level": page.escalation_level or "–",
            "recommended": page.recommended_level or "–",
        }
    else:
        facts = _(
            "Escalation level %(level)s. No return: the return for %(month)s was not received, so the "
            "month is not rated."
        ) % {"level": page.escalation_level or "–", "month": date_format(data.period, "F Y")}
    if page.intervention:
        facts += " " + _("Government or regulator intervention: %(level)s.") % {"level": page.intervention}
    return facts


def _exception_areas(pdf, page):
    rows, extra = [pdf.header_row(_("Key area"), _("Rating"))], []
    for n, (label, rag, computed) in enumerate(page.areas, start=1):
        text = rag_word(rag) if page.received else no_return_word()
        if computed:
            text += " " + _("(overridden; computed %(rag)s)") % {"rag": rag_word(computed)}
        rows.append([pdf.p(label), pdf.p(text)])
        if rag in TINTS:
            extra.append(pdf.shade(1, n, TINTS[rag]))
    pdf.add(pdf.table(rows, _widths(pdf.width, 0.35, 0.4), extra=extra))


def _exception_indicators(pdf, page):
    p = pdf.p
    pdf.add(p(_("Indicators rated Red or Amber"), "h3"))
    if page.indicators.empty and not page.received:
        pdf.add(pdf.empty(_("None: no indicator is rated this month, as the return was not received.")))
        return
    if page.indicators.empty:
        pdf.add(pdf.empty(_("No indicator is Red or Amber: the level follows a decision, not this month's data.")))
        return
    rows = [pdf.header_row(_("Indicator"), _("Value"), _("Target"), _("Rating"), _("Why"), _("Team's note"))]
    extra = []
    values = [_number(v) for v in page.indicators["value"]]
    targets = [_number(t) for t in page.indicators["target"]]
    for n, (i, value, target) in enumerate(zip(page.indicators.itertuples(), values, targets, strict=True), start=1):
        rows.append([p(f"{i.indicator} ({i.area})"), value, target, p(rag_word(i.rag)), p(i.reason), p(i.note)])
        extra.append(pdf.shade(3, n, TINTS.get(i.rag, "#ffffff")))
    widths = fitted_widths(pdf.width, [0.3, 0.08, 0.08, 0.08, 0.2, 0.26], {1: values, 2: targets})
    pdf.add(pdf.table(rows, widths, extra=extra))


def _exception_trends(pdf, page):
    """The Red indicators' charts two to a row, each with what its variation and assurance mean."""
    trends = [pdf.p(_("Trends over 24 months"), "h3")]
    cells = []
    for chart in page.charts:
        _stats, variation, assurance = charts.spc_summary(
            chart.values, months=pdf.months, target=chart.target, higher_is_better=chart.higher_is_better
        )
        meaning = str(spc.VARIATION_MEANING[variation])
        if assurance:
            meaning += ". " + str(spc.ASSURANCE_MEANING[assurance])
        cells.append([pdf.p(chart.title, "cellbold"), pdf.chart(chart, pdf.width * 0.48, 130), pdf.p(meaning, "small")])
    grid = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    grid = [[stack(c) for c in row] + [""] * (2 - len(row)) for row in grid]
    trends.append(Table(grid, colWidths=[pdf.width * 0.5] * 2, style=[("VALIGN", (0, 0), (-1, -1), "TOP")]))
    pdf.add(KeepTogether(trends))  # never a heading alone at the foot of a page
    pdf.add(
        pdf.p(
            _(
                "Grey: the monthly values; solid line: the mean; dashed: the process limits (mean ± 2.66 × the mean "
                "moving range); red dotted: the target; orange dotted: the amber threshold; blue dashed: the agreed "
                "trajectory. Orange points are special causes of concern, blue points of improvement."
            ),
            "small",
        )
    )


def _exception_plans(pdf, page):
    pdf.add(pdf.p(_("Action plans"), "h3"))
    if not page.plans and any(rag == Rag.RED for _label, rag, _computed in page.areas):
        pdf.add(pdf.empty(_("No open action plan, though a Red area needs one, with a trajectory for improvement.")))
    elif not page.plans:
        pdf.add(pdf.empty(_("No open action plan.")))
    for plan in page.plans:
        scope = plan["area"] + (f": {plan['indicator']}" if plan["indicator"] else "")
        actions = plan["actions"]
        if len(actions) > PLAN_ACTIONS_MAX:
            actions = actions[: PLAN_ACTIONS_MAX - 3] + "…"
        pdf.add(
            KeepTogether(
                [
                    pdf.markup(f"<b>{esc(plan['title'])}</b> ({esc(scope)})"),
                    pdf.markup(esc(actions).replace("\n", "<br/>")),
                    pdf.p(
                        _("Owner: %(owner)s; next review %(date)s")
                        % {"owner": plan["owner"], "date": date_format(plan["next_review"], "j M Y")},
                        "small",
                    ),
                    Spacer(1, 3 * mm),
                ]
            )
        )


# 5. Data completeness -------------------------------------------------------------------------


def completeness(pdf: PdfPack, data: PackData, title):
    """Complete and on time per team and month, then the returns not received."""
    p = pdf.p
    pdf.add(PageBreak(), pdf.heading(title, "h1"))
    pdf.add(
        p(
            _(
                "For each month: the share of applicable indicators with a result (reported, or not applicable) in a "
                "received return (complete) and of returns submitted by the deadline, the 15th of the following month "
                "(on time), per commissioning team. A return not received counts as 0% complete."
            ),
            "body",
        )
    )
    if data.completeness.empty:
        pdf.add(pdf.empty(_("No returns were due in this period.")))
    else:
        rows = [
            pdf.header_row(
                _("Month"), _("Commissioning team"), _("Providers"), _("Complete"), _("On time"), _("Overdue")
            )
        ]
        for c in data.completeness.itertuples():
            rows.append(
                [
                    p(date_format(c.month, "M Y")),
                    p(c.team),
                    p(c.providers),
                    p(_percent(c.completeness)),
                    p(_percent(c.timeliness)),
                    p(c.overdue),
                ]
            )
        pdf.add(pdf.table(rows, _widths(pdf.width, 0.12, 0.4, 0.12, 0.12, 0.12, 0.12)))
    _returns_not_received(pdf, data)


def _returns_not_received(pdf, data):
    p = pdf.p
    pdf.add(p(_("Returns not received"), "h3"))
    pdf.add(
        p(
            _(
                "Providers in scope (holding a live contract) whose return for the month was not submitted: the month is "
                "not rated for them (No return) and counts against completeness and timeliness."
            ),
            "body",
        )
    )
    if data.no_returns.empty:
        pdf.add(pdf.empty(_("Every provider in scope returned its data for %(months)s.") % {"months": pdf.period_text}))
        return
    rows = [pdf.header_row(_("Month"), _("Provider"), _("Commissioning team"), _("Return"))]
    for m in data.no_returns.itertuples():
        rows.append([p(date_format(m.month, "M Y")), p(f"{m.provider} ({m.code})"), p(m.team), p(m.state)])
    pdf.add(pdf.table(rows, _widths(pdf.width, 0.12, 0.4, 0.28, 0.2)))


# 6. Renewals ----------------------------------------------------------------------------------


def renewals(pdf: PdfPack, data: PackData, title):
    """Contracts in force due for renewal in the six months after the pack's month."""
    p = pdf.p
    pdf.add(Spacer(1, 6 * mm), pdf.heading(title, "h1"))
    pdf.add(
        p(
            _(
                "Contracts in force that are due for renewal by %(date)s (six months after the end "
                "of %(month)s), earliest first."
            )
            % {
                "date": date_format(add_months(data.renewals_from, 6), "j F Y"),
                "month": date_format(data.period, "F Y"),
            },
            "body",
        )
    )
    if data.renewals.empty:
        pdf.add(pdf.empty(_("No contract is due for renewal in the next six months.")))
        return
    rows = [
        pdf.header_row(
            _("Reference"), _("Provider"), _("Title"), _("Team"), _("Annual value"), _("Renewal due"), _("Tier")
        )
    ]
    # Reference, value and date are printed whole (plain cells in columns fitted to them): a sum of
    # money or a code broken across lines is misread.
    references = [str(r) for r in data.renewals["reference"]]
    values = [money(v) for v in data.renewals["annual_value"]]
    dues = [date_format(c.renewal_date, "j M Y") for c in data.renewals.itertuples()]
    for c, reference, value, due in zip(data.renewals.itertuples(), references, values, dues, strict=True):
        due_cell = stack([due, pdf.p(_("(passed)"))]) if c.overdue else due
        rows.append([reference, p(c.provider), p(c.title), p(c.team), value, due_cell, p(c.tier)])
    widths = fitted_widths(pdf.width, [0.12, 0.2, 0.25, 0.14, 0.1, 0.1, 0.06], {0: references, 4: values, 5: dues})
    pdf.add(pdf.table(rows, widths, extra=[("ALIGN", (4, 1), (4, -1), "RIGHT")]))


def money(value):
    """£45,500,000: pounds, grouped, whole."""
    return "£" + number_format(value, 0, use_l10n=True, force_grouping=True)


# 7. Provider summits ----------------------------------------------------------------------------


def summits(pdf: PdfPack, data: PackData, title):
    """The provider summits held in the months covered (seed 002, 3.5.2), of the providers in scope."""
    p = pdf.p
    pdf.add(CondPageBreak(60 * mm), Spacer(1, 6 * mm), pdf.heading(title, "h1"))
    since = date_format(since_day(data), "j F Y")
    pdf.add(
        p(
            _("Provider summits held since %(date)s: who chaired them and the actions still open.") % {"date": since},
            "body",
        )
    )
    if data.summits.empty:
        pdf.add(pdf.empty(_("No provider summit has been held since %(date)s.") % {"date": since}))
        return
    dates = [date_format(d, "j M Y") for d in data.summits["date"]]
    rows = [pdf.header_row(_("Held"), _("Provider"), _("Chair"), _("Attendees"), _("Open actions"))]
    for m, held in zip(data.summits.itertuples(), dates, strict=True):
        rows.append([held, p(f"{m.provider} ({m.code})"), p(m.chair), p(m.attendees), str(m.open_actions)])
    widths = fitted_widths(pdf.width, [0.11, 0.27, 0.2, 0.32, 0.1], {0: dates})
    pdf.add(pdf.table(rows, widths))


# 8. Corporate risks -----------------------------------------------------------------------------


def corporate_risks(pdf: PdfPack, data: PackData, title):
    """The open risks on the corporate register (CRAF: score 15 and above, METHODOLOGY 7)."""
    p = pdf.p
    pdf.add(CondPageBreak(60 * mm), Spacer(1, 6 * mm), pdf.heading(title, "h1"))
    pdf.add(
        p(
            _(
                "Open risks scoring 15 or more (likelihood × consequence), which belong on the corporate risk "
                "register (CRAF), highest first."
            ),
            "body",
        )
    )
    if data.corporate_risks.empty:
        pdf.add(pdf.empty(_("No open risk scores 15 or more.")))
        return
    scores = [f"{r.score} ({r.likelihood} × {r.consequence})" for r in data.corporate_risks.itertuples()]
    reviews = [date_format(d, "j M Y") for d in data.corporate_risks["review_date"]]
    rows = [pdf.header_row(_("Provider"), _("Risk"), _("Score"), _("Mitigation"), _("Owner"), _("Review"))]
    for r, score, review in zip(data.corporate_risks.itertuples(), scores, reviews, strict=True):
        review_cell = stack([review, pdf.p(_("(passed)"))]) if r.review_passed else review
        rows.append([p(f"{r.provider} ({r.code})"), p(r.risk), score, p(r.mitigation), p(r.owner), review_cell])
    widths = fitted_widths(pdf.width, [0.2, 0.22, 0.09, 0.27, 0.12, 0.1], {2: scores, 5: reviews})
    pdf.add(pdf.table(rows, widths))
