"""Bad input never breaks the app or half-writes anything.

Property tests (hypothesis) read every form off its page, as the persona who uses it, and
post malformed, oversized, wrong-typed and hostile values into its fields; query strings
of every page get the same. The answer must be a page with messages, a redirect or a 4xx,
never a 500; and when a post is refused (the form comes back), nothing was written.
Uploads get random bytes under every kind of name, and the cases people really send:
oversized files, a picture named .csv, a zip named .xlsx, workbooks with formulas and
merged cells, and notes that would run as spreadsheet formulas when exported.
"""

import io
import zipfile
from datetime import date
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tests.test_access import MATRIX, fingerprint

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999",
    "3.14159265358979323846264338",
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
    "2026-02-30",
    "yes",
    "true",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE providers; --",
    '=HYPERLINK("http://evil","x")',
    "+cmd|'/C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "../../etc/passwd",
    "%00",
    "\u202eevil",
    "ŵŷ Cymraeg",
    "😀" * 50,
    "a" * 5000,
    "x" * 100_000,
    "\r\n\t",
    "１２３",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
)
RESPONSES = {200, 302, 400, 403, 404, 405, 409, 413}
PROPERTY = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Forms(HTMLParser):
    """The POST forms of a page: their action and fields (name -> list of offered values)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken" or attrs.get("type") in ("submit", "file"):
                return
            self.current["fields"].setdefault(name, [])
            if attrs.get("value") is not None and attrs.get("type") in ("radio", "checkbox", "hidden"):
                self.current["fields"][name].append(attrs["value"])
            self.select = name if tag == "select" else None
        elif tag == "option" and self.current is not None and self.select and attrs.get("value"):
            self.current["fields"][self.select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        if tag == "select":
            self.select = None


def forms_on(client, path):
    parser = Forms()
    parser.feed(client.get(path).content.decode())
    # The header's log-out (and language) forms would end the attack early; they have their own rows.
    return [form for form in parser.forms if form["action"] not in ("/logout/", "/language/")]


# Every URL that takes a form post, as the first persona its row allows.
PREFERENCE = ["team_member", "executive_director", "administrator", "chief_executive", "service_director"]
FORM_PAGES = sorted(
    name
    for name, row in MATRIX.items()
    # Pages whose GET redirects a signed-in user (the two-factor code page sends a verified user on).
    if row.get and row.post and not row.public and name not in ("reporting:highlight_latest", "account:mfa_verify")
    # The API takes JSON or CSV, not a form: its hostile bodies are schemathesis's
    # (tests/reporting/test_api_schema.py) and tests/reporting/test_api_returns.py's.
    if not name.startswith("api:")
)


@pytest.fixture
def attacker(objects, client, request):
    def sign_in(name):
        row = MATRIX[name]
        persona = next(p for p in PREFERENCE if p in row.post)
        client.force_login(request.getfixturevalue(persona))
        return client, row.path(objects)

    return sign_in


@pytest.mark.parametrize("name", FORM_PAGES + ["reporting:pack_archive", "escalation:provider_escalation"])
def test_hostile_values_in_every_form_give_messages_not_errors(name, attacker, objects, client, request):
    if name in ("reporting:pack_archive", "escalation:provider_escalation"):  # their forms post elsewhere
        client.force_login(request.getfixturevalue("executive_director"))
        page = MATRIX[name].path(objects)
    else:
        client, page = attacker(name)
    forms = forms_on(client, page)
    assert forms, f"{page} shows no form"

    posts = []

    @PROPERTY
    @given(data=st.data())
    def post_hostile(data):
        for form in forms:
            posts.append(form["action"])
            values = {}
            for field_name, offered in form["fields"].items():
                choice = data.draw(
                    st.sampled_from(["offered", "hostile", "missing"])
                    if offered
                    else st.sampled_from(["hostile", "missing"])
                )
                if choice == "offered":
                    values[field_name] = data.draw(st.sampled_from(offered))
                elif choice == "hostile":
                    values[field_name] = data.draw(VALUES)
            before = fingerprint()
            response = client.post(form["action"] or page, values)
            assert response.status_code in RESPONSES, (form["action"] or page, values, response.status_code)
            if response.status_code == 200 and "nhsuk-error-summary" in response.content.decode():
                assert fingerprint() == before, f"a refused post to {form['action'] or page} wrote something"

    post_hostile()
    # The property really ran (a form with no fields, a confirmation, has one thing to try).
    assert len(posts) >= (PROPERTY.max_examples if any(f["fields"] for f in forms) else 1)


GET_PAGES = sorted(name for name, row in MATRIX.items() if row.get and not row.public)


@pytest.mark.parametrize("name", GET_PAGES)
def test_hostile_query_strings_never_break_a_page(name, objects, client, request):
    row = MATRIX[name]
    persona = next(
        p for p in ["administrator", "executive_director", "team_member", "committee_member"] if p in row.get
    )
    client.force_login(request.getfixturevalue(persona))
    path = row.path(objects)
    keys = [
        "period",
        "page",
        "sort",
        "team",
        "sector",
        "country",
        "level",
        "changed",
        "overdue",
        "q",
        "status",
        "committee",
        "month",
        "export",
        "provider",
        "type",
        "tier",
        "renewal",
        "area",
        "ordering",
    ]

    tried = []

    @PROPERTY
    @given(params=st.dictionaries(st.sampled_from(keys), VALUES, max_size=5))
    def get_hostile(params):
        tried.append(params)
        response = client.get(path.split("?")[0], params)
        assert response.status_code in RESPONSES, (path, params, response.status_code)

    get_hostile()
    assert len(tried) >= PROPERTY.max_examples


# Uploads -------------------------------------------------------------------------------------

UPLOADS = [("/register/import/", "administrator", "providers"), ("/returns/upload/", "team_member", "returns")]


def upload(client, path, kind, name, content, dry_run=False, follow=False):
    """Post a file; with follow, the page the person ends on (an upload is checked in a job, whose
    page then shows the outcome)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(path, data, follow=follow)


def save_checked(client):
    """Save the latest checked upload from its job's page, as its "Save these changes" does."""
    from assurance.models import UploadJob

    job = UploadJob.objects.filter(outcome="checked").latest("pk")
    return client.post(job.get_absolute_url(), {"action": "save"})


@pytest.mark.parametrize(("path", "persona", "kind"), UPLOADS)
def test_random_bytes_under_any_name_are_refused_with_a_message(path, persona, kind, client, request):
    client.force_login(request.getfixturevalue(persona))
    sent = []

    @PROPERTY
    @given(
        content=st.binary(max_size=4000),
        name=st.sampled_from(
            ["data.csv", "data.xlsx", "DATA.CSV", "data.png", "data", "data.csv.exe", "../../data.csv"]
        ),
    )
    def post_bytes(content, name):
        sent.append(name)
        before = fingerprint()
        response = upload(client, path, kind, name, content)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert fingerprint() == before

    post_bytes()
    assert len(sent) >= PROPERTY.max_examples


def xlsx(rows, *, merge=None, formula=None):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula:
        cell, text = formula
        sheet[cell] = text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def page_text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


PROVIDER_HEADER = ["code", "name", "sector", "country", "regulator", "intervention_level"]


def test_an_oversized_file_is_refused_before_it_is_read(admin_client, settings):
    settings.MAX_IMPORT_FILE_BYTES = 1000
    response = upload(admin_client, "/register/import/", "providers", "big.csv", b"code,name\n" + b"x" * 2000)
    assert response.status_code == 200 and "The file is larger than" in page_text(response)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-8 text"),
        ("logo.png", b"\x89PNG\r\n\x1a\n", "Upload a CSV (.csv) or Excel (.xlsx) file."),
        ("archive.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not a readable Excel"),
    ],
)
def test_wrong_file_types_are_refused_with_a_message(admin_client, name, content, message):
    from providers.models import Provider

    before = Provider.objects.count()
    response = upload(admin_client, "/register/import/", "providers", name, content, follow=True)
    assert response.status_code == 200 and message in page_text(response)
    assert Provider.objects.count() == before


def test_a_real_zip_renamed_xlsx_is_refused(admin_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    response = upload(admin_client, "/register/import/", "providers", "notes.xlsx", out.getvalue(), follow=True)
    assert "not a readable Excel" in page_text(response)


def test_a_zip_bomb_is_refused(admin_client):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (210 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    response = upload(admin_client, "/register/import/", "providers", "bomb.xlsx", out.getvalue(), follow=True)
    assert "too large to open" in page_text(response)


def with_saved_result(content, cell, result):
    """The workbook as Excel would save it: the formula's result stored beside it (a string)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(f'<c r="{cell}">'.encode())
                end = data.index(b"</c>", start)
                formula = data[start:end].split(b"<f>")[1].split(b"</f>")[0]
                data = (
                    data[:start]
                    + f'<c r="{cell}" t="str"><f>'.encode()
                    + formula
                    + b"</f><v>"
                    + result.encode()
                    + b"</v>"
                    + data[end:]
                )
            target.writestr(item, data)
    return out.getvalue()


def test_a_formula_counts_as_its_saved_result_and_one_without_is_refused(admin_client):
    from providers.models import Provider

    # openpyxl writes formulas with no saved result, as some tools do: refused, the cells listed.
    content = xlsx(
        [PROVIDER_HEADER, ["ZZ1", "placeholder", "nhs_england", "england", "cqc", "routine"]],
        formula=("B2", '=CONCAT("Saved"," Trust")'),
    )
    response = upload(admin_client, "/register/import/", "providers", "formulas.xlsx", content, follow=True)
    assert "formulas with no saved result: B2" in page_text(response)
    assert not Provider.objects.filter(code="ZZ1").exists()
    # Excel saves the result beside the formula: that result is what the user saw, and is read.
    upload(
        admin_client, "/register/import/", "providers", "saved.xlsx", with_saved_result(content, "B2", "Saved Trust")
    )
    assert save_checked(admin_client).status_code == 302
    assert Provider.objects.get(code="ZZ1").name == "Saved Trust"


def test_merged_cells_read_as_blank_beyond_their_first_cell(admin_client):
    content = xlsx(
        [
            PROVIDER_HEADER,
            ["ZZ2", "Merged Trust", "nhs_england", "england", "cqc", "routine"],
            ["ZZ3", "", "nhs_england", "england", "cqc", "routine"],
        ],
        merge="B2:B3",
    )
    response = upload(admin_client, "/register/import/", "providers", "merged.xlsx", content, follow=True)
    errors = response.context["result"]["errors"]
    assert response.status_code == 200 and [(line, column) for line, column, _message in errors] == [("3", "name")]


def test_notes_that_would_run_as_formulas_are_neutralised_in_exports(client, team_member, objects):
    from assurance.models import IndicatorValue, MonthlyReturn
    from providers.models import Provider
    from tests.assurance.factories import IndicatorFactory

    provider = Provider.objects.get(code=objects["a"])
    indicator = IndicatorFactory(code="note_test")
    monthly_return = MonthlyReturn.objects.create(provider=provider, period=date(2026, 9, 1))
    hostile = ['=HYPERLINK("http://evil")', "+SUM(1)", "-1+2", "@cmd", "\tTAB", "\rCR"]
    for n, note in enumerate(hostile):
        other = IndicatorFactory(code=f"note_{n}") if n else indicator
        IndicatorValue.objects.create(monthly_return=monthly_return, indicator=other, value=1, note=note)
    client.force_login(team_member)
    response = client.get("/returns/template/", {"team": "cardiac", "period": "2026-09"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    notes = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True) if row[6]]
    # (XML stores a carriage return as a line feed; what matters is the apostrophe in front.)
    assert sorted(notes) == sorted("'" + note.replace("\r", "\n") for note in hostile)
