"""English and Welsh: every product string has its Welsh, the switcher remembers the choice,
and dates, numbers, emails and committee packs come in the reader's language."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format

from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "assurance" / "locale"
PO = LOCALE / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


# The catalogue -------------------------------------------------------------------------------


def test_every_product_string_has_its_welsh():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []
    assert len(catalogue) > 900  # the whole interface, not a sample


def test_welsh_keeps_every_placeholder():
    """A translation that drops %(provider)s would crash the page or lose the provider's name."""
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            expected = sorted(PLACEHOLDER.findall(entry.msgid_plural))
            for form in entry.msgstr_plural.values():
                if sorted(PLACEHOLDER.findall(form)) not in (expected, sorted(PLACEHOLDER.findall(entry.msgid))):
                    wrong.append((entry.msgid, form))
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo Django reads is compiled from the .po as committed (compilemessages was run)."""
    po = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.pofile(str(PO)) if not e.obsolete}
    mo = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(MO))}
    mo.pop((None, "", None), None)
    assert mo == po


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the code finds no string the committed catalogue lacks: a
    string marked for translation and never translated would show in English to Welsh users."""
    copy = tmp_path / "code"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", "test-artifacts", ".git", "__pycache__", "*.mo", "staticfiles"
        ),
    )
    subprocess.run(
        [
            str(Path(settings.BASE_DIR) / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python",
            "manage.py",
            "makemessages",
            "-l",
            "cy",
            "--no-obsolete",
            "--ignore=tests",
            "--ignore=.venv",
            "--ignore=node_modules",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {key(e) for e in polib.pofile(str(copy / "assurance" / "locale" / "cy" / "LC_MESSAGES" / "django.po"))}
    committed = {key(e) for e in polib.pofile(str(PO)) if e.translated()}
    assert sorted(fresh - committed, key=str) == []


# Reference data (issue 17) ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reference_data_made_by_migrations_is_in_welsh_too():
    """Team names are data, not template text, so the catalogue checks above cannot see them:
    each team a migration made must read in Welsh on a Welsh page (a new reference name added
    without its mark in providers/reference_names.py, or without its Welsh, fails here)."""
    from providers.models import CommissioningTeam
    from providers.reference_names import TEAM_NAMES

    names = set(CommissioningTeam.objects.values_list("name", flat=True))
    assert names <= set(TEAM_NAMES), f"Mark these in providers/reference_names.py: {sorted(names - set(TEAM_NAMES))}"
    with translation.override("cy"):
        untranslated = [str(team) for team in CommissioningTeam.objects.all() if str(team) == team.name]
    assert untranslated == [], f"Reference data with no Welsh: {untranslated}"


# The switcher --------------------------------------------------------------------------------


def welsh(text):
    with translation.override("cy"):
        return translation.gettext(text)


@pytest.mark.django_db
def test_the_switcher_changes_the_language_and_remembers_it(client, team_member):
    client.force_login(team_member)
    assert 'lang="en-gb"' in client.get("/").content.decode()
    response = client.post("/language/", {"language": "cy", "next": "/collection/"})
    assert response.status_code == 302 and response["Location"] == "/collection/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy" and int(cookie["max-age"]) >= 300 * 24 * 3600  # kept, not ended with the browser
    page = client.get("/").content.decode()
    assert 'lang="cy"' in page and welsh("Skip to main content") in page
    team_member.refresh_from_db()
    assert team_member.language == "cy"


@pytest.mark.django_db
def test_the_choice_follows_the_user_to_another_computer(client, team_member):
    team_member.language = "cy"
    team_member.save()
    response = client.post("/login/", {"username": team_member.username, "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert 'lang="cy"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client, team_member):
    client.force_login(team_member)
    client.post("/language/", {"language": "xx", "next": "/"})
    team_member.refresh_from_db()
    assert team_member.language == ""
    assert 'lang="en-gb"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_switcher_never_sends_the_user_to_another_site(client):
    response = client.post("/language/", {"language": "cy", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


# Formatting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_months_and_money_are_written_in_the_language(client, team_member):
    from tests.contracts.factories import ContractFactory

    contract = ContractFactory(annual_value=12345678, start_date=date(2026, 1, 1), end_date=date(2027, 10, 31))
    client.force_login(team_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    with translation.override("cy"):
        assert date_format(date(2027, 10, 31), "j F Y") in page  # "31 Hydref 2027"
    assert "Hydref" in page and "October" not in page
    assert "£12,345,678" in page


# Emails and packs ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_step_up_emails_go_in_each_directors_language(
    catalogue, service_director, executive_director, django_capture_on_commit_callbacks
):
    executive_director.language = "cy"
    executive_director.save()
    service_director.email, executive_director.email = "sian@example.org", "dafydd@example.org"
    service_director.save()
    executive_director.save()
    provider = provider_with_contract("7A1")
    for n, month in enumerate(M[:2]):
        report(provider, month, month_values(5) if n == 0 else month_values(3, 0, 2), catalogue)
        with django_capture_on_commit_callbacks(execute=True):
            run_period(month)
    by_recipient = {message.to[0]: message.subject for message in mail.outbox}
    assert set(by_recipient) == {"dafydd@example.org"}  # level 3 is the Executive Director's
    with translation.override("cy"):
        welsh_subject = translation.gettext("%(provider)s has been escalated to level %(level)s") % {
            "provider": provider.name,
            "level": 3,
        }
    assert by_recipient["dafydd@example.org"] == welsh_subject
    assert welsh_subject != f"{provider.name} has been escalated to level 3"


@pytest.mark.django_db
def test_a_pack_asked_for_in_welsh_is_written_in_welsh(
    client, chief_executive, catalogue, settings, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from reporting.models import CommitteePack

    provider = provider_with_contract("7A1")
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    client.force_login(chief_executive)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    form = client.get("/packs/").content.decode()
    assert 'value="cy" checked' in form.replace('checked=""', "checked") or re.search(r'value="cy"[^>]*checked', form)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/packs/new/", {"committee": "cdgb", "period": "2026-01", "language": "cy"})
    assert response.status_code == 302
    pack = CommitteePack.objects.get()
    assert pack.language == "cy" and pack.status == "ready"
    text = "".join(page.extract_text() for page in PdfReader(pack.pdf.path).pages[:3])
    assert welsh("Contents") in text and welsh("Contents") != "Contents"
    with translation.override("en-gb"):
        assert date_format(date(2026, 1, 1), "F Y") not in text  # "January 2026" is not in a Welsh pack
    with translation.override("cy"):
        assert date_format(date(2026, 1, 1), "F Y") in text  # "Ionawr 2026" is
