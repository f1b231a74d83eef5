"""Submit a month of returns for a team through the API, then read back the ratings.

    .venv/bin/python -m reporting.devtools.api_demo --url http://127.0.0.1:8000 \\
        --token pat_... --team cardiac --period 2026-11 [--from-period 2026-10]

A client of the API and nothing else (the standard library's urllib; no Django): it reads the
team's providers, takes each provider's values from a received month (`--from-period`, by
default the month before) as this month's figures, checks them with a dry run, sends them,
follows the rating job, and prints the team's ratings for the month. The token is a team
member's (made on their account's API tokens page); the API refuses anyone else's.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Api:
    def __init__(self, url, token):
        self.url, self.token = url.rstrip("/"), token

    def call(self, method, path, body=None, query=None):
        address = f"{self.url}/api/v1/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(address, data=data, method=method)  # noqa: S310 - the URL is the operator's
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - as above  # nosec B310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def all_pages(self, path, query):
        """Every row of a list, page by page (`next` until there is none)."""
        rows, page = [], 1
        while True:
            status, body = self.call("GET", path, query={**query, "page": page, "page_size": 1000})
            if status != 200:
                raise SystemExit(f"GET {path} failed ({status}): {body}")
            rows += body["results"]
            if not body["next"]:
                return rows
            page += 1


def previous_month(period):
    year, month = (int(part) for part in period.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def returns_for(api, team, period, source):
    providers = [p["code"] for p in api.all_pages("providers/", {"team": team})]
    received = {
        r["provider"]: r
        for r in api.all_pages("returns/", {"team": team, "period": source})
        if r["status"] in ("submitted", "locked") and r["values"]
    }
    current = {r["provider"]: r["version"] for r in api.all_pages("returns/", {"team": team, "period": period})}
    body = []
    for code in providers:
        if code not in received:
            print(f"  {code}: no received return for {source} to copy; skipped")
            continue
        values = [
            {key: value[key] for key in ("indicator", "status", "value", "rag", "note") if value[key] not in (None, "")}
            for value in received[code]["values"]
        ]
        entry = {"provider": code, "period": period, "values": values}
        if code in current:
            entry["version"] = current[code]  # optimistic locking: refused if someone writes meanwhile
        body.append(entry)
    return providers, body


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--team", required=True)
    parser.add_argument("--period", required=True, help="the month to submit, YYYY-MM")
    parser.add_argument("--from-period", help="the month whose values are sent again (default: the month before)")
    args = parser.parse_args(argv)
    api = Api(args.url, args.token)
    source = args.from_period or previous_month(args.period)

    print(f"Team {args.team}: returns for {args.period}, from the values received for {source}")
    providers, body = returns_for(api, args.team, args.period, source)
    rows = sum(len(entry["values"]) for entry in body)
    print(f"  {len(body)} of {len(providers)} providers, {rows} values")

    status, result = api.call("POST", "returns/", {"returns": body}, query={"dry_run": "true"})
    print(
        f"Dry run: HTTP {status}, ok={result.get('ok')}, {result.get('created')} would be created, "
        f"{result.get('updated')} updated, {result.get('unchanged')} unchanged"
    )
    for problem in result.get("problems", [])[:20]:
        print(f"  {problem['pointer'] or problem['line']}: {problem['message']}")
    if status != 200:
        return 1

    started = time.monotonic()
    status, result = api.call("POST", "returns/", {"returns": body})
    print(
        f"Submitted: HTTP {status}, {result.get('created')} created, {result.get('updated')} updated, "
        f"{result.get('unchanged')} unchanged, rating job {result.get('rating_job')}"
    )
    if status != 200:
        for problem in result.get("problems", [])[:20]:
            print(f"  {problem['pointer'] or problem['line']}: {problem['message']}")
        return 1
    job = result.get("rating_job")
    while job:
        status, run = api.call("GET", f"rating-jobs/{job}/")
        if run["status"] in ("done", "failed"):
            print(f"Rating job {job}: {run['status']} after {time.monotonic() - started:.1f} s {run['failure_reason']}")
            break
        time.sleep(1)

    ratings = api.all_pages("ratings/", {"team": args.team, "period": args.period})
    print(f"Ratings for {args.period}, team {args.team} ({len(ratings)} providers):")
    print(
        f"  {'provider':<9}{'access':<8}{'quality':<9}{'finance':<9}{'patient':<9}{'govern.':<9}recommended  escalation"
    )
    for row in ratings:
        if not row["received"]:
            print(f"  {row['provider']:<9}No return{'':<35}level {row['escalation_level']}")
            continue
        areas = [
            row[area] or "-"
            for area in ("access", "quality_safety", "finance_activity", "patient_experience", "governance")
        ]
        mark = " (overridden)" if row["overridden"] else ""
        print(
            f"  {row['provider']:<9}"
            + "".join(f"{rag:<9}" if i else f"{rag:<8}" for i, rag in enumerate(areas))
            + f"{row['recommended_level'] or '-':<13}{row['escalation_level'] or '-'}{mark}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
