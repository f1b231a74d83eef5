"""Deployment hardening: security headers, login throttling, no secrets in the repository."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def test_every_page_carries_a_content_security_policy_without_inline_script(client, administrator):
    client.force_login(administrator)
    for path in ("/", "/dashboard/", "/login/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
        assert "'unsafe-eval'" not in policy


def test_no_template_has_an_inline_script_the_policy_would_block():
    inline = []
    for template in (ROOT / "templates").rglob("*.html"):
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", template.read_text(), re.S):
            attrs, body = match.group("attrs"), match.group("body").strip()
            if "src=" not in attrs and "application/json" not in attrs and body:
                inline.append(str(template.relative_to(ROOT)))
    assert inline == []


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, team_member, other_team_member):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "alice", "wrong-password").status_code == 200
    locked = log_in(client, "alice", "wrong-password")
    assert locked.status_code == 429 and "Too many attempts to log in" in locked.content.decode()
    # The right password does not get in while the lock lasts ...
    assert log_in(client, "alice", "a-long-test-password").status_code == 429
    # ... another person at the same computer is not locked out ...
    assert log_in(client, "bob", "a-long-test-password").status_code == 302
    client.logout()
    # ... and after the cool-off the right password works again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert log_in(client, "alice", "a-long-test-password").status_code == 302


def test_a_successful_login_clears_the_failures(client, team_member):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong-password")
    assert log_in(client, "alice", "a-long-test-password").status_code == 302
    client.logout()
    assert log_in(client, "alice", "wrong-password").status_code == 200  # counting starts again


def test_passwords_are_validated(team_member):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short", "password123", "1234567890", "qwertyuiop"):
        with pytest.raises(ValidationError):
            validate_password(weak, team_member)


SECRET_PATTERNS = [
    re.compile(r"-----BEGIN (RSA |EC |OPENSSH |)PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),  # AWS access key ids
    re.compile(r"(?i)(secret_key|password|api_key|token)\s*=\s*['\"][^'\"\s]{16,}['\"]"),
    re.compile(r"postgres(ql)?://[^:/\s]+:(?!password@)[^@\s$]+@"),  # a database URL with a real password
]
ALLOWED = {
    'DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"',  # refused when DEBUG is off
    'DEMO_PASSWORD = "demo-assurance-2026"',  # the demo logins', published in the README
}


def test_no_secrets_are_committed():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        if name.startswith("tests/"):  # test fixtures' passwords guard nothing
            continue
        path = ROOT / name
        if path.suffix in {".png", ".ico", ".xlsx", ".pdf", ".woff", ".woff2", ".mo"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), start=1):
            if any(p.search(line) for p in SECRET_PATTERNS) and line.split("#")[0].strip() not in ALLOWED:
                found.append(f"{name}:{number}: {line.strip()[:80]}")
    assert found == []


def test_uploaded_workbooks_are_parsed_with_defusedxml():
    """openpyxl guards against entity expansion and external entities only when defusedxml is there."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_behind_a_proxy_login_throttling_sees_the_client_not_the_proxy(settings, rf):
    """With TRUSTED_PROXY_COUNT set, failed logins count against the address the trusted proxy
    appended to X-Forwarded-For (the last entry), not the proxy's, which every user shares, and
    not an address the client wrote there itself (tests/test_throttling.py has the rest)."""
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/login/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert get_client_ip_address(request) == "203.0.113.7"
