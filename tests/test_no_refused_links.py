"""Nobody is offered a link they would be refused (issue 17; DESIGN.md "a page does not offer a
link its reader would be refused").

With the demo estate loaded, every link on every page a demo user can reach from the home page
is followed (a few of each URL pattern, to keep it quick), and none may answer 403.
"""

import re
from collections import defaultdict, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

pytestmark = [pytest.mark.django_db, pytest.mark.once]

DEMO_USERS = ["alice", "bob", "sian", "dafydd", "ceo", "committee", "admin"]
LINK = re.compile(r'<a\s[^>]*href="([^"#]+)')
SKIP = re.compile(r"^/(logout|language|admin|static|media|api/v1/(schema|docs))")
PER_PATTERN = 3  # pages followed per URL pattern (per route), whatever their arguments
MAX_PAGES = 250


def crawl(client):
    """[(url, status, found on)] for the pages reachable by links from the home page."""
    seen, per_route, visited = {"/"}, defaultdict(int), []
    queue = deque([("/", None)])
    while queue and len(visited) < MAX_PAGES:
        url, source = queue.popleft()
        response = client.get(url)
        visited.append((url, response.status_code, source))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or SKIP.match(parts.path):
                continue
            try:
                route = resolve(parts.path).route
            except Resolver404:
                continue
            if target in seen or per_route[route] >= PER_PATTERN:
                continue
            seen.add(target)
            per_route[route] += 1
            queue.append((target, url))
    return visited


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output


def test_no_demo_user_is_offered_a_link_they_would_be_refused(demo, client):
    refused = []
    for username in DEMO_USERS:
        client.force_login(get_user_model().objects.get(username=username))
        pages = crawl(client)
        assert len(pages) > 1, f"{username} reached no page from the home page"
        refused += [f"{username}: {url} (linked from {source})" for url, status, source in pages if status == 403]
        client.logout()
    assert refused == [], "Links that answer 403:\n" + "\n".join(refused)
