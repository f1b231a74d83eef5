"""Locust users for `make load` and `make soak` (reporting/devtools/soak.py starts them).

A signed-in commissioning team member goes through a realistic mix: the dashboard, a provider's
page, the returns overview and a return, where they save a note. Each user edits only its own
providers' returns, so every acknowledged save (a redirect back to the return) must be in the
database at the end: `ACKED` keeps the last note acknowledged per value for that check.
"""

import itertools
import os
import random
import re
from html import unescape

from locust import HttpUser, between, task

from reporting.devtools.pages import FormFields, outlier_notes

# Filled by the harness before the users start.
CONFIG = {"users": [], "period": "", "providers": {}, "think": (0.2, 1.0)}
ACKED = {}  # (code, period, field name) -> note
READ_500S = []  # (method, path, status)
SIGN_IN = None  # make load: the sign-ins' count and p95, measured apart (soak.run_locust)
_numbers = itertools.count()


def password():
    """The users' password: the harness puts it in the environment (SOAK_PASSWORD), never in the code."""
    return os.environ["SOAK_PASSWORD"]


class TeamMember(HttpUser):
    wait_time = between(0.2, 1.0)
    # Behind a TLS-terminating proxy, as in production (the app's cookies are Secure).
    headers = {"X-Forwarded-Proto": "https"}

    def on_start(self):
        self.username = CONFIG["users"].pop(0)
        self.codes = CONFIG["providers"][self.username]
        self.wait_time = lambda: random.uniform(*CONFIG["think"])  # noqa: S311 - load pacing, not security  # nosec B311
        self.client.headers.update(self.headers)
        page = self.client.get("/login/", name="/login/")
        self._unsecure()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/login/",
            {
                "username": self.username,
                "password": password(),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.referer("/login/")},
            name="/login/ (post)",
        )
        self._unsecure()

    def referer(self, path):
        """The page a browser came from, as the app sees it behind TLS (CSRF checks it)."""
        return self.host.replace("http://", "https://") + path

    def _unsecure(self):
        """Send the Secure cookies back over plain HTTP to 127.0.0.1 (the proxy's side of TLS)."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code >= 500:
                READ_500S.append(("GET", path, response.status_code))
            elif "/login/" in response.url:
                response.failure("sent to the login page: not signed in")
        self._unsecure()
        return response

    @task(3)
    def dashboard(self):
        self.get("/dashboard/", "/dashboard/")

    @task(2)
    def provider_page(self):
        self.get(f"/providers/{random.choice(self.codes)}/", "/providers/[code]/")  # noqa: S311  # nosec B311

    @task(2)
    def returns_overview(self):
        self.get(f"/returns/?period={CONFIG['period']}", "/returns/")

    @task(2)
    def return_entry_and_save(self):
        code, period = random.choice(self.codes), CONFIG["period"]  # noqa: S311  # nosec B311
        path = f"/returns/{code}/{period}/"
        page = self.get(path, "/returns/[code]/[period]/")
        if page.status_code != 200 or "csrfmiddlewaretoken" not in page.text:
            return
        parser = FormFields()
        parser.feed(page.text)
        fields = {name: unescape(value) for name, value in parser.fields.items()}
        notes = sorted(name for name in fields if name.endswith("-note"))
        if not notes:
            return
        field = random.choice(notes)  # noqa: S311  # nosec B311
        note = f"load {self.username} {next(_numbers)}"
        # As a person would: each value the page says is outside its usual range gets its confirming
        # note (METHODOLOGY 8), or the save is refused and the page shown again.
        for name in outlier_notes(page.text):
            if name in fields and not fields[name].strip():
                fields[name] = "Checked with the provider: correct"
        fields[field] = note
        fields.pop("submit", None)
        response = self.client.post(
            path,
            fields,
            name="/returns/[code]/[period]/ (save)",
            allow_redirects=False,
            headers={"Referer": self.referer(path)},
        )
        self._unsecure()
        if response.status_code == 302 and response.headers.get("Location", "").endswith(path):
            ACKED[(code, period, field)] = note
