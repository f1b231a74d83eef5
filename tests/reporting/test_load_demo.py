import re
from base64 import b32encode

import pytest
from django.core.management import call_command

from contracts.models import Contract, ContractLine
from providers.models import Provider, RoleGrant, Service, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Provider.objects.count(),
        Service.objects.count(),
        Contract.objects.count(),
        ContractLine.objects.count(),
        User.objects.count(),
    )


def test_demo_data_is_a_realistic_estate_and_loading_twice_duplicates_nothing(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first, grants = counts(), RoleGrant.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    # The demo users' roles, teams and levels are granted by the system, once, and audited.
    assert grants == RoleGrant.objects.filter(acting_user=None).count() == RoleGrant.objects.count()
    assert RoleGrant.objects.get(user__username="ceo", kind="director_level").new == [4]
    providers = Provider.objects
    assert providers.filter(sector="nhs_wales").count() == 8  # seven health boards and Velindre
    assert 8 <= providers.filter(sector="nhs_england").count() <= 10
    assert providers.filter(sector="independent").count() == 2
    assert providers.filter(sector="third_sector").count() == 1
    assert Service.objects.count() >= 20
    assert 25 <= Contract.objects.count() <= 35
    tiers = {c.value_tier for c in Contract.objects.all()}
    assert tiers == {1, 2, 3}
    assert any(c.renewal_due_soon for c in Contract.objects.all())


def test_every_demo_login_works(client):
    """Directors and the administrator also give the code of their demo authenticator, whose key
    load_demo prints (and `manage.py totp_code USER` shows the current code)."""
    from io import StringIO

    from tests.providers.factories import fresh_totp_code

    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = dict(re.findall(r"^  (admin|sian|dafydd|ceo)\s+([A-Z2-7]{32})$", out.getvalue(), re.M))
    assert sorted(printed) == ["admin", "ceo", "dafydd", "sian"]
    for username in ["admin", "alice", "bob", "sian", "dafydd", "ceo", "committee"]:
        client.logout()
        response = client.post("/login/", {"username": username, "password": "demo-assurance-2026"})
        assert response.status_code == 302 and response["Location"] == "/", username
        if username in printed:
            assert client.get("/")["Location"].startswith("/account/two-factor/"), username
            device = User.objects.get(username=username).totpdevice_set.get()
            assert b32encode(device.bin_key).decode().rstrip("=") == printed[username]
            client.post("/account/two-factor/", {"code": fresh_totp_code(device)})
        assert client.get("/").status_code == 200, username


def test_totp_code_prints_a_demo_users_current_code(settings):
    from io import StringIO

    from django.core.management.base import CommandError

    call_command("load_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = True
    out = StringIO()
    call_command("totp_code", "ceo", stdout=out)
    device = User.objects.get(username="ceo").totpdevice_set.get()
    assert device.verify_token(out.getvalue().strip())
    with pytest.raises(CommandError):
        call_command("totp_code", "alice")  # no demo authenticator
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("totp_code", "ceo")


def test_demo_has_a_year_of_plausible_returns(client):
    from assurance.models import IndicatorValue, MonthlyReturn, PeriodLock
    from providers.periods import deadline

    call_command("load_demo", stdout=open("/dev/null", "w"))
    for provider in Provider.objects.all():
        assert MonthlyReturn.objects.filter(provider=provider).count() >= 12, provider
    statuses = set(IndicatorValue.objects.values_list("status", flat=True))
    assert {"reported", "missing", "development_plan"} <= statuses
    late = [r for r in MonthlyReturn.objects.exclude(submitted_at=None) if r.submitted_at.date() > deadline(r.period)]
    assert late, "some returns are submitted late"
    assert PeriodLock.objects.filter(locked=True).exists()


def test_demo_has_committee_packs_a_committee_member_can_download(client):
    from reporting.models import CommitteePack

    call_command("load_demo", stdout=open("/dev/null", "w"))
    ready = CommitteePack.objects.filter(status="ready")
    assert {p.committee_id for p in ready} == {"cdgb", "management_group", "joint_committee", "pfig", "board", "qpsc"}
    joint = ready.filter(committee="joint_committee", language="en-gb").order_by("period")
    assert joint.count() == 2 and joint.last().period_from > joint.first().period  # the second covers since the first
    welsh = ready.get(committee="joint_committee", language="cy")  # and the newest again, in Welsh
    assert (welsh.period, welsh.period_from) == (joint.last().period, joint.last().period_from)
    client.post("/login/", {"username": "committee", "password": "demo-assurance-2026"})
    response = client.get(f"/packs/{joint.last().pk}/pdf/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
