"""Committee pack builders as pure functions: a hand-made PackData in, PDF and XLSX out (no database)."""

import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assurance import rules
from reporting import packs

OCT, SEP, AUG = date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)


@pytest.mark.parametrize(
    ("period", "previous", "cadence", "first"),
    [
        (OCT, None, 2, SEP),  # a first Joint Committee pack: two months
        (OCT, None, 1, OCT),  # a first board pack: the month
        (OCT, AUG, 2, SEP),  # the two months since the August pack
        (OCT, SEP, 1, OCT),  # monthly, as planned
        (OCT, date(2026, 6, 1), 1, date(2026, 7, 1)),  # a board that skipped months: all of them
        (OCT, date(2024, 1, 1), 2, date(2025, 11, 1)),  # never more than a year
        (OCT, OCT, 2, SEP),  # a rebuild of the same month: as a first pack
        (date(2026, 1, 1), date(2025, 11, 1), 2, date(2025, 12, 1)),  # across a new year
    ],
)
def test_a_pack_covers_the_months_since_the_committees_previous_pack(period, previous, cadence, first):
    assert rules.covered_from(period, previous, cadence) == first


@pytest.mark.parametrize(
    ("months", "text"),
    [
        ([OCT], "October 2026"),
        ([SEP, OCT], "September and October 2026"),
        ([AUG, SEP, OCT], "August to October 2026"),
        ([date(2025, 12, 1), date(2026, 1, 1)], "December 2025 and January 2026"),
    ],
)
def test_months_covered_read_naturally(months, text):
    assert packs.months_text(months) == text


def frame(columns, rows):
    return pd.DataFrame(rows, columns=columns)


def scorecard_row(name, code, level, areas="GGGG", usc="G", planned="G"):
    row = {
        "provider": name,
        "code": code,
        "received": True,
        "usc": usc,
        "usc_direction": "unchanged",
        "usc_overridden": False,
        "planned": planned,
        "planned_direction": "worsened",
        "planned_overridden": False,
        "recommended": level,
        "recommended_direction": "worsened",
        "escalation": level,
        "escalation_direction": "worsened",
        "pending_step_down": None,
    }
    for area, rag in zip(packs.SCORECARD_AREAS, areas, strict=True):
        row |= {area: rag, f"{area}_direction": "unchanged", f"{area}_overridden": False}
    return row


def pack_data(exceptions=2, providers=30):
    months24 = packs.chart_months(OCT)
    values = pd.DataFrame({"period": months24, "value": [90.0 + (n % 5) for n in range(23)] + [70.0]})
    scorecard = [scorecard_row(f"Provider {n:02d}", f"P{n:02d}", 1) for n in range(providers)]
    scorecard[0] = scorecard_row("Ysbyty Gwŷr a Gŵyl", "P00", 4, areas="RRAG", usc="R")
    pages = [
        packs.ExceptionPage(
            provider="Ysbyty Gwŷr a Gŵyl" if n == 0 else f"Provider {n:02d}",
            code=f"P{n:02d}",
            escalation_level=4,
            recommended_level=4,
            intervention="Special measures",
            areas=[("Access", "R", ""), ("Governance", "A", "R")],
            indicators=frame(
                packs.EXCEPTION_INDICATOR_COLUMNS,
                [
                    (
                        "Access",
                        "RTT 26 weeks (%)",
                        70.0,
                        95.0,
                        "R",
                        "Target missed for three months running",
                        '=HYPERLINK("http://evil")',
                    ),
                    ("Quality and safety", "Serious incidents", None, None, "A", "Rated by the commissioning team", ""),
                ],
            ),
            charts=[
                packs.ChartData(
                    title="RTT 26 weeks (%)",
                    unit="Percentage",
                    target=95.0,
                    amber=90.0,
                    higher_is_better=True,
                    values=values,
                    trajectory=pd.DataFrame({"period": [OCT], "value": [88.0]}),
                )
            ],
            plans=[
                {
                    "title": "RTT recovery",
                    "area": "Access",
                    "indicator": "RTT 26 weeks (%)",
                    "actions": "Weekend lists",
                    "owner": "COO",
                    "next_review": date(2026, 12, 15),
                }
            ],
        )
        for n in range(exceptions)
    ]
    return packs.PackData(
        committee="joint_committee",
        committee_name="Joint Committee",
        period=OCT,
        period_from=SEP,
        months=[SEP, OCT],
        built_on=date(2026, 11, 23),
        levels=frame(
            ["level", "providers", "before", "recommended"], [(1, 28, 29, 28), (2, 0, 0, 0), (3, 0, 1, 0), (4, 2, 0, 2)]
        ),
        pending_step_downs=1,
        decisions=frame(
            packs.DECISION_COLUMNS,
            [
                (
                    date(2026, 11, 16),
                    OCT,
                    "Ysbyty Gwŷr a Gŵyl",
                    3,
                    4,
                    "Step-up by rule",
                    "Access: Red; Quality and safety: Red",
                    "",
                    "By rule",
                )
            ],
        ),
        scorecard=pd.DataFrame(scorecard, columns=packs.SCORECARD_COLUMNS),
        exceptions=pages,
        completeness=frame(
            packs.COMPLETENESS_COLUMNS, [(SEP, "Cardiac", 4, 98, 75, 1), (OCT, "All providers", 30, None, None, 0)]
        ),
        renewals=frame(
            packs.RENEWAL_COLUMNS,
            [("LTA-001", "Provider 03", "Cardiac LTA", "Cardiac", 81e6, date(2027, 3, 31), 1, False)],
        ),
        renewals_from=date(2026, 10, 31),
    )


def pdf_text(data):
    content, pages = packs.render_pdf(data)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    return reader, [page.extract_text() for page in reader.pages]


def test_the_pdf_has_a_cover_contents_every_section_and_page_numbers():
    reader, text = pdf_text(pack_data())
    assert "Joint Committee" in text[0] and "September and October 2026" in text[0]
    contents = text[1]
    for title in (
        "Level summary",
        "Escalation decisions",
        "Provider scorecard",
        "Exception reports",
        "Data completeness",
        "Contracts due for renewal",
        "Provider 01 (P01)",
    ):
        assert title in contents
    total = len(reader.pages)
    assert all(f"Page {n} of {total}" in text[n - 1] for n in range(2, total + 1))
    assert "Page 1 of" not in text[0]  # the cover carries no number
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:3] == ["Level summary", "Escalation decisions", "Provider scorecard"]


def test_the_contents_and_bookmarks_give_the_page_each_section_starts_on():
    reader, text = pdf_text(pack_data())
    starts = {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert list(starts) == list(packs.section_titles().values())
    for title, page in starts.items():
        assert title in text[page - 1]
        assert title not in text[page - 2] or page - 2 == 1  # starts there (page 2 is the contents)
    toc_numbers = {int(n) for n in re.findall(r"\.\s*(\d+)\n", text[1])}
    assert set(starts.values()) <= toc_numbers


def test_each_exception_provider_gets_its_own_page_with_a_chart_and_its_action_plan():
    reader, text = pdf_text(pack_data(exceptions=3))
    starts = [n for n, page in enumerate(text) if "(P01)" in page and "Indicators rated Red or Amber" in page]
    assert len(starts) == 1
    page = " ".join(text[starts[0]].split())
    assert "RTT recovery" in page and "Trends over 24 months" in page
    assert "Special cause variation" in page  # the last point is far below the rest
    assert "Government or regulator intervention: Special measures" in page


def test_welsh_letters_and_the_arrows_print():
    _reader, text = pdf_text(pack_data())
    assert any("Ysbyty Gwŷr a Gŵyl" in page for page in text)
    assert any("▼" in page for page in text)  # worse than last month, in the scorecard


def test_the_scorecard_spans_pages_for_many_providers_and_lands_on_landscape_pages():
    reader, text = pdf_text(pack_data(exceptions=0, providers=120))
    pages = [n for n, page in enumerate(text) if "Provider 1" in page and "Access: USC" in page]
    assert len(pages) >= 2  # its header row repeats on each page
    width, height = reader.pages[pages[0]].mediabox.width, reader.pages[pages[0]].mediabox.height
    assert width > height
    assert "No provider is at level 3 or 4" in "".join(text)


def test_empty_sections_say_so():
    data = pack_data(exceptions=0)
    data.decisions = data.decisions.iloc[0:0]
    data.renewals = data.renewals.iloc[0:0]
    _reader, text = pdf_text(data)
    joined = "".join(text)
    assert "No escalation decision has been recorded since then." in joined
    assert "No contract is due for renewal in the next six months." in joined


def test_the_workbook_has_one_sheet_per_section_and_neutralises_formulas():
    book = load_workbook(io.BytesIO(packs.render_xlsx(pack_data())))
    assert book.sheetnames[:12] == [
        "About",
        "Level summary",
        "Escalation decisions",
        "Provider scorecard",
        "Exception reports",
        "Action plans",
        "Flags",
        "Data completeness",
        "Returns not received",
        "Contracts due for renewal",
        "Provider summits held",
        "Corporate risks",
    ]
    scorecard = book["Provider scorecard"]
    assert [c.value for c in scorecard[1]][:6] == [
        "Provider",
        "Code",
        "Access: USC",
        "Access: USC, against last month",
        "Access: planned",
        "Access: planned, against last month",
    ]
    assert [c.value for c in scorecard[2]][:6] == ["Ysbyty Gwŷr a Gŵyl", "P00", "Red", "Unchanged", "Green", "Worsened"]
    assert scorecard["C2"].fill.fgColor.rgb.endswith("F7D4D1")  # the shade repeats the word
    notes = [row[-1] for row in book["Exception reports"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in notes
    assert (
        book["Escalation decisions"]["D2"].value == 3
        and book["Escalation decisions"]["A2"].number_format == "yyyy-mm-dd"
    )


def test_a_missing_action_plan_is_flagged_only_where_a_red_area_needs_one():
    data = pack_data(exceptions=2)
    data.exceptions[0].plans = []
    data.exceptions[1].plans = []
    data.exceptions[1].areas = [("Access", "G", ""), ("Governance", "A", "")]
    _reader, text = pdf_text(data)
    joined = " ".join(" ".join(text).split())
    assert joined.count("No open action plan, though a Red area needs one") == 1
    assert joined.count("No open action plan.") == 1


# Second edition: No return, overrides of Access, arrows in the workbook, provisional months ---------


def with_no_return_and_override():
    data = pack_data(exceptions=1)
    records = data.scorecard.to_dict("records")
    records[1] = {
        **scorecard_row("Provider 01", "P01", None, areas="    ", usc="", planned=""),
        "received": False,
        "escalation": 3,
        "recommended_direction": "",
        "usc_direction": "",
        "planned_direction": "",
    }
    records[2] = {
        **scorecard_row("Provider 02", "P02", 3, areas="GAGG", usc="R", planned="R"),
        "usc_overridden": True,
        "planned_overridden": True,
        "finance_activity_overridden": True,
    }
    data.scorecard = pd.DataFrame(records, columns=packs.SCORECARD_COLUMNS)
    data.no_returns = frame(
        packs.NO_RETURN_COLUMNS,
        [
            (SEP, "Provider 01", "P01", "Cardiac", "Not started"),
            (OCT, "Provider 01", "P01", "Cardiac", "Draft, not submitted"),
        ],
    )
    data.exceptions.append(
        packs.ExceptionPage(
            provider="Provider 01",
            code="P01",
            escalation_level=3,
            recommended_level=None,
            intervention="",
            areas=[("Access", "", ""), ("Governance", "", "")],
            indicators=frame(packs.EXCEPTION_INDICATOR_COLUMNS, []),
            received=False,
        )
    )
    return data


def test_the_pdf_says_no_return_and_marks_overrides_in_usc_and_planned():
    _reader, text = pdf_text(with_no_return_and_override())
    joined = " ".join(" ".join(text).split())
    scorecard = joined.split("Provider scorecard")[-1].split("Exception reports")[0]
    assert "Provider 01 No return No return No return No return No return No return No return 3 ▼" in scorecard
    assert "Provider 02 R* ▶ R* ▼ G ▶ A* ▶ G ▶ G ▶ 3" in scorecard
    assert "No return: the provider's return for the month was not received" in scorecard
    page = joined.split("Provider 01 (P01) Escalation level 3.")[1].split("Data completeness")[0]  # its exception page
    assert page.startswith(" No return: the return for October 2026 was not received, so the month is not rated.")
    assert "Access No return Governance No return" in page and "Red" not in page.split("Indicators rated")[0]
    completeness = joined.split("Returns not received")[-1]
    assert "Sep 2026 Provider 01 (P01) Cardiac Not started" in completeness
    assert "Oct 2026 Provider 01 (P01) Cardiac Draft, not submitted" in completeness
    assert "Providers with no return this month 1" in joined.split("Contents")[0]  # on the cover


def test_the_pdf_says_when_every_return_was_received():
    _reader, text = pdf_text(pack_data())
    assert "Every provider in scope returned its data for September and October 2026." in " ".join(
        " ".join(text).split()
    )


def test_the_workbook_says_no_return_marks_overrides_and_carries_every_arrow():
    book = load_workbook(io.BytesIO(packs.render_xlsx(with_no_return_and_override())))
    sheet = book["Provider scorecard"]
    header = [c.value for c in sheet[1]]
    assert header[-5:] == [
        "Recommended level",
        "Recommended level, against last month",
        "Escalation level",
        "Escalation level, against last month",
        "Step-down proposed to",
    ]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    missing = rows["P01"]
    assert [missing[h] for h in ("Access: USC", "Access: planned", "Governance", "Recommended level")] == [
        "No return"
    ] * 4
    assert missing["Escalation level"] == 3 and missing["Escalation level, against last month"] == "Worsened"
    overridden = rows["P02"]
    assert overridden["Access: USC"] == "Red (overridden)" and overridden["Access: planned"] == "Red (overridden)"
    assert overridden["Finance and activity"] == "Amber (overridden)" and overridden["Quality and safety"] == "Green"
    assert overridden["Access: planned, against last month"] == "Worsened"
    assert overridden["Governance, against last month"] == "Unchanged"
    assert overridden["Recommended level"] == 3 and overridden["Recommended level, against last month"] == "Worsened"
    assert sheet.cell(row=4, column=3).fill.fgColor.rgb.endswith("F7D4D1")  # P02's USC: Red, shaded
    assert sheet.cell(row=3, column=3).fill.fgColor.rgb in (None, "00000000")  # No return: no shade
    assert [r[1:4] for r in book["Returns not received"].iter_rows(min_row=2, values_only=True)] == [
        ("Provider 01", "P01", "Cardiac"),
        ("Provider 01", "P01", "Cardiac"),
    ]
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert about["Providers rated"] == 29 and about["Providers with no return this month"] == 1
    assert "Status" not in about


def test_a_provisional_pack_says_so_on_the_cover_the_scorecard_and_the_workbook():
    data = pack_data(exceptions=0)
    data.provisional_until = date(2026, 11, 15)
    notice = "Provisional: returns for October 2026 are due by 15 November 2026; ratings may change until then."
    _reader, text = pdf_text(data)
    joined = " ".join(" ".join(text).split())
    assert notice in joined.split("Contents")[0]
    assert notice in joined.split("Provider scorecard")[-1]
    about = {
        r[0]: r[1] for r in load_workbook(io.BytesIO(packs.render_xlsx(data)))["About"].iter_rows(values_only=True)
    }
    assert about["Status"] == notice


# The sections registry: what configurable committees will choose from --------------------------


def test_the_sections_are_registered_in_a_full_packs_order_with_their_titles():
    assert list(packs.SECTIONS)[:8] == [
        "levels",
        "decisions",
        "scorecard",
        "exceptions",
        "completeness",
        "renewals",
        "summits",
        "corporate_risks",
    ]
    assert [str(s.title) for s in packs.SECTIONS.values()] == list(packs.section_titles().values())


def test_a_pack_of_chosen_sections_holds_those_after_the_cover_and_contents():
    data = pack_data(exceptions=1)
    content, pages = packs.render_pdf(data, sections=["renewals", "scorecard"])
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == pages
    assert [item.title for item in reader.outline if not isinstance(item, list)] == [
        "Contracts due for renewal",
        "Provider scorecard",
    ]
    text = [page.extract_text() for page in reader.pages]
    assert "Joint Committee" in text[0] and "Contents" in text[1]
    assert not any("Level summary" in t or "Data completeness" in t for t in text)
    book = load_workbook(io.BytesIO(packs.render_xlsx(data, sections=["renewals", "scorecard"])))
    assert book.sheetnames == ["About", "Contracts due for renewal", "Provider scorecard"]


def test_a_full_pack_is_every_section():
    data = pack_data(exceptions=1)
    full = load_workbook(io.BytesIO(packs.render_xlsx(data)))
    chosen = load_workbook(io.BytesIO(packs.render_xlsx(data, sections=list(packs.SECTIONS))))
    assert (
        full.sheetnames
        == chosen.sheetnames
        == [
            "About",
            "Level summary",
            "Escalation decisions",
            "Provider scorecard",
            "Exception reports",
            "Action plans",
            "Flags",
            "Data completeness",
            "Returns not received",
            "Contracts due for renewal",
            "Provider summits held",
            "Corporate risks",
            *full.sheetnames[12:],  # sections other issues add (finance)
        ]
    )
