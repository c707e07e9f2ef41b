"""Replay an export's complaints through the public GraphQL API, as citizens would file them.

Each row becomes one `submitComplaint` over HTTP, at a chosen rate, from a
small pool of demo citizens whose tokens are signed with the running
configuration's secret. The import mapping turns the row's topic and
agency into a category, and the title is the text's first words. The
whole text is the description, so the API itself rejects texts outside its
length limits, and the report counts them with the API's reason.

It then reports, for this run's complaints only:
- how many the API accepted and rejected, and why (the API's own codes and
  messages, which state the limits);
- the SLA estimates the API gave (`sla.responseDueAt`, `sla.resolutionDueAt`)
  as hours after submission;
- the notifications created, by channel and status, read from MongoDB;
- the SLA watcher's alerts, by clock, stage and status, read from MongoDB;
- submission latency against a baseline of trivial queries measured first in
  the same run.

Start the stack first (`make run`), then for example:

    .venv/bin/python bench/replay.py --rate 5 --limit 200 --wait 20

It sends traffic to 127.0.0.1 only: a gateway URL or MongoDB URI naming
another host is rejected.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import ipaddress
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pymongo import AsyncMongoClient
from pymongo.uri_parser import parse_uri

from shared.mongo import ALERTS, COMPLAINTS, NOTIFICATIONS
from shared.settings import Settings, get_settings
from tanggap.commands.token import build_token
from tanggap.importer.mapping import DEFAULT_MAPPING, CataloguePlacer, load_mapping
from tanggap.importer.progress import ProgressBar
from tanggap.importer.titles import title_from_text

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "complaints-2022h1.csv"
DEFAULT_URL = "http://127.0.0.1:8000/graphql"
BASELINE_REQUESTS = 20
HOUR = 3600.0

CATEGORIES_QUERY = "query Categories { serviceCategories { id code agency { code } } }"
BASELINE_QUERY = "query Ping { __typename }"
SUBMIT_MUTATION = """
mutation Submit($input: SubmitComplaintInput!) {
  submitComplaint(input: $input) {
    complaint { ticketNumber sla { responseDueAt resolutionDueAt } }
    errors { field code message }
  }
}
"""


class ReplayError(Exception):
    """The replay cannot run; the message names the value and what to do."""


@dataclass(frozen=True)
class Submission:
    source_id: str
    category_id: str
    category_code: str
    agency_code: str
    variables: dict[str, Any]


@dataclass
class Outcome:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)
    rejection_samples: dict[str, str] = field(default_factory=dict)
    unanswered: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.accepted) + sum(self.rejected.values()) + sum(self.unanswered.values())

    def reject(self, reason: str, message: str) -> None:
        self.rejected[reason] += 1
        self.rejection_samples.setdefault(reason, message)


def require_loopback(host: str | None, source: str) -> None:
    """Raise `ReplayError` unless `host` is a loopback address: this benchmark sends nothing elsewhere."""
    if host == "localhost":
        return
    try:
        loopback = host is not None and ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ReplayError(f"{source} host {host!r} is not a loopback address; the replay talks to 127.0.0.1 only")


def check_targets(url: str, settings: Settings) -> None:
    require_loopback(urlsplit(url).hostname, f"gateway URL {url}:")
    for host, _port in parse_uri(settings.effective_mongodb_uri)["nodelist"]:
        require_loopback(host, "MongoDB URI")


def citizen_prefix(run_id: str) -> str:
    return f"replay-{run_id}-"


def citizen_tokens(settings: Settings, count: int, run_id: str) -> list[str]:
    """Sign one token per demo citizen, with a phone number and e-mail address so that both channels are used."""
    return [
        build_token(
            settings,
            role="citizen",
            subject=f"{citizen_prefix(run_id)}{number:03d}",
            phone=f"08129{number:07d}",
            email=f"warga-{number:03d}@replay.example",
        )
        for number in range(1, count + 1)
    ]


async def graphql(client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    headers = {"Accept-Language": "en"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    response = await client.post(url, json={"query": query, "variables": variables or {}}, headers=headers)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


async def load_categories(client: httpx.AsyncClient, url: str) -> dict[str, tuple[str, str]]:
    """Return category code -> (global id, agency code) from `Query.serviceCategories`."""
    body = await graphql(client, url, CATEGORIES_QUERY)
    if body.get("errors"):
        raise ReplayError(f"Query.serviceCategories failed: {body['errors'][0].get('message')}")
    return {item["code"]: (item["id"], item["agency"]["code"]) for item in body["data"]["serviceCategories"]}


def read_submissions(path: Path, limit: int | None, categories: dict[str, tuple[str, str]], run_id: str) -> list[Submission]:
    placer = CataloguePlacer(load_mapping(DEFAULT_MAPPING), {code: agency for code, (_id, agency) in categories.items()})
    submissions = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if limit is not None and len(submissions) >= limit:
                break
            placement = placer.place(row["topic"], row["agency"])
            category_id, _agency = categories[placement.category_code]
            location = {key: row[key] for key in ("district", "subdistrict") if row[key].strip()}
            variables = {
                "input": {
                    "categoryId": category_id,
                    "title": title_from_text(row["text"]) if row["text"].strip() else "",
                    "description": row["text"],
                    "location": location or None,
                    "clientRequestId": f"replay-{run_id}-{row['source_id']}",
                }
            }
            submissions.append(Submission(row["source_id"], category_id, placement.category_code, placement.agency_code, variables))
    return submissions


async def measure_baseline(client: httpx.AsyncClient, url: str) -> float:
    """Return the median seconds of a trivial query, the yardstick for submission latency."""
    timings = []
    for _ in range(BASELINE_REQUESTS):
        started = time.perf_counter()
        await graphql(client, url, BASELINE_QUERY)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


async def submit_one(client: httpx.AsyncClient, url: str, token: str, submission: Submission, outcome: Outcome) -> None:
    sent_at = datetime.now(timezone.utc)
    started = time.perf_counter()
    try:
        body = await graphql(client, url, SUBMIT_MUTATION, submission.variables, token)
    except httpx.HTTPStatusError as exc:
        outcome.reject(f"HTTP {exc.response.status_code}", exc.response.text[:200])
        return
    except httpx.HTTPError as exc:
        # A request that timed out may still have been filed; the report counts those from MongoDB.
        outcome.unanswered[type(exc).__name__] += 1
        return
    outcome.latencies.append(time.perf_counter() - started)

    if body.get("errors"):
        error = body["errors"][0]
        code = (error.get("extensions") or {}).get("code", "request error")
        outcome.reject(str(code), str(error.get("message")))
        return

    payload = body["data"]["submitComplaint"]
    if payload["errors"]:
        error = payload["errors"][0]
        outcome.reject(f"{error['code']} on {'.'.join(error.get('field') or [])}", error["message"])
        return

    complaint = payload["complaint"]
    outcome.accepted.append(
        {
            "ticketNumber": complaint["ticketNumber"],
            "agency": submission.agency_code,
            "sentAt": sent_at,
            "responseDueAt": datetime.fromisoformat(complaint["sla"]["responseDueAt"]),
            "resolutionDueAt": datetime.fromisoformat(complaint["sla"]["resolutionDueAt"]),
        }
    )


async def replay(client: httpx.AsyncClient, url: str, tokens: list[str], submissions: list[Submission], rate: float, concurrency: int) -> tuple[Outcome, float]:
    """Submit every row, starting the i-th at i/rate seconds; return the outcome and the seconds taken."""
    outcome = Outcome()
    slots = asyncio.Semaphore(concurrency)
    progress = ProgressBar(len(submissions), "Submitting")
    started = time.perf_counter()

    async def paced(index: int, submission: Submission) -> None:
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        async with slots:
            await submit_one(client, url, tokens[index % len(tokens)], submission, outcome)
        progress.advance(1)

    await asyncio.gather(*(paced(index, submission) for index, submission in enumerate(submissions)))
    progress.close()
    return outcome, time.perf_counter() - started


def spread(values: list[float]) -> str:
    """Describe a list of numbers as min, median, p90 (nearest rank) and max."""
    if not values:
        return "none"
    ordered = sorted(values)
    p90 = ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]
    return f"min {ordered[0]:.1f}, median {statistics.median(ordered):.1f}, p90 {p90:.1f}, max {ordered[-1]:.1f}"


@dataclass
class StoredEffects:
    """This run's stored complaints, notifications by (channel, status), when held ones may go out, and alerts."""

    complaints: int = 0
    notifications: Counter[tuple[str, str]] = field(default_factory=Counter)
    held_until: dict[tuple[str, str], list[datetime]] = field(default_factory=dict)
    alerts: Counter[tuple[str, str, str]] = field(default_factory=Counter)


async def stored_effects(settings: Settings, run_id: str) -> StoredEffects:
    """Read this run's complaints (by its citizens' subjects), their notifications and the watcher's alerts from MongoDB."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True)
    try:
        db = client[settings.mongodb_database]
        citizens = {"reporter.subject": {"$regex": f"^{re.escape(citizen_prefix(run_id))}"}}
        ids = [doc["_id"] async for doc in db[COMPLAINTS].find(citizens, {"_id": 1})]
        effects = StoredEffects(complaints=len(ids))
        async for doc in db[NOTIFICATIONS].find({"complaintId": {"$in": ids}}, {"channel": 1, "status": 1, "notBefore": 1}):
            key = (str(doc.get("channel")), str(doc.get("status")))
            effects.notifications[key] += 1
            if isinstance(doc.get("notBefore"), datetime):
                effects.held_until.setdefault(key, []).append(doc["notBefore"])
        async for doc in db[ALERTS].find({"complaintId": {"$in": ids}}, {"clock": 1, "stage": 1, "status": 1}):
            effects.alerts[(str(doc.get("clock")), str(doc.get("stage")), str(doc.get("status")))] += 1
    finally:
        await client.close()
    return effects


def print_report(args: argparse.Namespace, baseline: float, outcome: Outcome, seconds: float, effects: StoredEffects) -> None:
    total = outcome.total
    print(f"rows submitted: {total} in {seconds:.1f} s ({total / seconds:.2f}/s, requested {args.rate}/s)")
    latency = statistics.median(outcome.latencies) if outcome.latencies else 0.0
    print(f"submission latency: median {latency * 1000:.0f} ms, {latency / baseline:.1f}x the baseline query ({baseline * 1000:.0f} ms)")

    print(f"accepted: {len(outcome.accepted)}")
    print(f"rejected: {sum(outcome.rejected.values())}")
    for reason, count in outcome.rejected.most_common():
        print(f"  {reason}: {count} (e.g. {outcome.rejection_samples[reason]!r})")
    print(f"no answer from the gateway: {sum(outcome.unanswered.values())}")
    for reason, count in outcome.unanswered.most_common():
        print(f"  {reason}: {count}")
    print(f"complaints stored for this run: {effects.complaints} ({effects.complaints - len(outcome.accepted)} without an answer)")

    response_hours = [(item["responseDueAt"] - item["sentAt"]).total_seconds() / HOUR for item in outcome.accepted]
    resolution_hours = [(item["resolutionDueAt"] - item["sentAt"]).total_seconds() / HOUR for item in outcome.accepted]
    print("SLA estimates, hours after submission:")
    print(f"  responseDueAt: {spread(response_hours)}")
    print(f"  resolutionDueAt: {spread(resolution_hours)}")
    for agency in sorted({item["agency"] for item in outcome.accepted}):
        own = [item for item in outcome.accepted if item["agency"] == agency]
        hours = [(item["resolutionDueAt"] - item["sentAt"]).total_seconds() / HOUR for item in own]
        print(f"  {agency}: {len(own)} complaints, resolution due in {spread(hours)}")

    print(f"notifications after {args.wait:.0f} s: {sum(effects.notifications.values())}")
    for (channel, status), count in sorted(effects.notifications.items()):
        line = f"  {channel} {status}: {count}"
        not_before = effects.held_until.get((channel, status), [])
        if status == "pending" and not_before:
            line += f" (not before {min(not_before).isoformat()} to {max(not_before).isoformat()})"
        print(line)
    print(f"watcher alerts: {sum(effects.alerts.values())}")
    for (clock_kind, stage, status), count in sorted(effects.alerts.items()):
        print(f"  {clock_kind} {stage} {status}: {count}")


async def main_async(args: argparse.Namespace) -> int:
    settings = get_settings()
    check_targets(args.url, settings)
    run_id = args.run_id or uuid.uuid4().hex[:8]

    async with httpx.AsyncClient(timeout=args.timeout) as client:
        try:
            categories = await load_categories(client, args.url)
            baseline = await measure_baseline(client, args.url)
        except httpx.HTTPError as exc:
            raise ReplayError(f"the gateway at {args.url} cannot be reached ({exc!r}); start it with `make run`") from exc
        submissions = read_submissions(args.file, args.limit, categories, run_id)
        tokens = citizen_tokens(settings, args.citizens, run_id)
        print(f"Replaying {len(submissions)} rows of {args.file} as run {run_id}.", file=sys.stderr)
        outcome, seconds = await replay(client, args.url, tokens, submissions, args.rate, args.concurrency)

    await asyncio.sleep(args.wait)
    effects = await stored_effects(settings, run_id)
    print_report(args, baseline, outcome, seconds, effects)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Replay an export's complaints through the GraphQL API and report what followed.")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="CSV export to replay (default: the shared 2022 export)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"GraphQL endpoint on this machine (default {DEFAULT_URL})")
    parser.add_argument("--rate", type=float, default=5.0, help="submissions started per second (default 5)")
    parser.add_argument("--limit", type=int, default=100, help="rows to replay from the start of the file (default 100; 0 replays all)")
    parser.add_argument("--citizens", type=int, default=20, help="demo citizens the rows are spread over (default 20)")
    parser.add_argument("--concurrency", type=int, default=8, help="maximum submissions in flight at once (default 8)")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to wait after the last submission before reading notifications and alerts (default 10)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before one HTTP request times out (default 30)")
    parser.add_argument("--run-id", help="tag of this run in citizens' subjects and clientRequestIds; a new random one by default")
    args = parser.parse_args(argv)
    if args.rate <= 0:
        parser.error(f"--rate {args.rate} is invalid; give a positive number of submissions per second")
    if args.citizens < 1 or args.concurrency < 1:
        parser.error("--citizens and --concurrency must be at least 1")
    if args.limit == 0:
        args.limit = None
    if not args.file.exists():
        parser.error(f"file {args.file} not found; give the export with --file")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return asyncio.run(main_async(args))
    except ReplayError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
