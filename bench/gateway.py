"""Measure the complaints list through GraphQL against a plain Starlette endpoint doing the same work.

1. Loads `--complaints` complaints (default 20,000) with the demo catalogue
   into a database, in bulk.
2. Serves the gateway and a baseline app with Uvicorn, each in its own
   thread on a free port of 127.0.0.1. The baseline endpoint runs the same
   MongoDB queries as the GraphQL request (a page of complaints, newest
   first, then their agencies and categories with `$in`) and returns the
   same JSON, without GraphQL, permissions or DataLoaders.
3. At 1, 10 and 50 concurrent clients, sends `--requests` requests per
   level to each and prints requests per second, p50 and p99 latency, and
   the ratio gateway/baseline of each.

By default it starts its own SecantusDB and Redis on free ports under a
temporary folder and stops them at the end. With `--mongodb-uri` and
`--broker-url` it loads into the running stack's servers instead, in the
database `--database` (default `bench_gateway`, dropped first).

    .venv/bin/python bench/gateway.py --complaints 20000 --requests 400

Only addresses on 127.0.0.1 are used.

NOTE: SecantusDB 0.7 reads every matching document of an unbounded sorted
query before applying the limit: about 80 ms for 2,000 complaints on 2
cores, measured with its query plan showing an index scan. Both endpoints
are therefore slow alike on it, and the ratio is what this measures.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.gateway.app import create_app  # noqa: E402
from shared.complaints import new_complaint_doc  # noqa: E402
from shared.mongo import AGENCIES, CATEGORIES, COMPLAINTS  # noqa: E402
from shared.settings import Settings  # noqa: E402
from shared.sla.calendar_store import load_calendars  # noqa: E402
from shared.sla.policy_store import policy_in_force  # noqa: E402
from shared.tickets import format_ticket  # noqa: E402
from shared.timeutil import clock  # noqa: E402
from tanggap.seed import seed_demo  # noqa: E402
from tanggap.servers import free_port, start_redis, start_secantus, stop_process  # noqa: E402

PAGE_SIZE = 20
CONCURRENCY_LEVELS = (1, 10, 50)
INSERT_BATCH = 1000

QUERY = """
query Page($first: Int) {
  complaints(first: $first) {
    edges { cursor node { id ticketNumber title status submittedAt agency { code name } category { code name } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@dataclass
class Level:
    concurrency: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=20_000, help="complaints to load (default 20000)")
    parser.add_argument("--requests", type=int, default=400, help="requests per concurrency level and endpoint (default 400)")
    parser.add_argument("--mongodb-uri", help="MongoDB of a running stack on 127.0.0.1; default: start SecantusDB")
    parser.add_argument("--broker-url", help="redis:// or amqp:// broker of a running stack; default: start Redis")
    parser.add_argument("--database", default="bench_gateway", help="database to load into, dropped first")
    return parser.parse_args()


async def load_complaints(settings: Settings, count: int) -> None:
    """Seed the catalogue and insert `count` complaints spread over every category and the last 90 days."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True)
    await client.drop_database(settings.mongodb_database)
    db = client[settings.mongodb_database]
    await seed_demo(db, settings)
    calendars = await load_calendars(db)
    categories = [doc async for doc in db[CATEGORIES].find({})]
    policies = {c["code"]: await policy_in_force(db, c["agencyCode"], c["code"]) for c in categories}

    now = clock.now()
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for index in range(count):
        category = categories[index % len(categories)]
        policy = policies[category["code"]]
        submitted = now - timedelta(minutes=index * 90 * 24 * 60 / max(count, 1))
        doc = new_complaint_doc(
            ticket_number=format_ticket("BENCH", submitted.year, index + 1),
            category_code=category["code"],
            agency_code=category["agencyCode"],
            title=f"Aduan uji beban nomor {index + 1}",
            description="Uraian aduan untuk mengukur daftar aduan melalui API.",
            location={"district": "Tamalate"},
            channel="WEB",
            reporter={"subject": f"bench-citizen-{index % 500}", "notify": {"channels": [], "locale": "id"}},
            policy=policy,
            calendar=calendars[policy.calendar_code],
            submitted_at=submitted,
        )
        doc["revision"] = 0

        batch.append(doc)
        if len(batch) == INSERT_BATCH:
            await db[COMPLAINTS].insert_many(batch, ordered=False)
            batch = []
    if batch:
        await db[COMPLAINTS].insert_many(batch, ordered=False)

    elapsed = time.perf_counter() - started
    print(f"Loaded {count} complaints in {elapsed:.1f} s ({count / elapsed:.0f}/s).")
    await client.close()


def baseline_app(settings: Settings) -> Starlette:
    """Return an app whose one endpoint runs the gateway's queries for a page and returns the same JSON."""
    state: dict[str, Any] = {}

    async def page(request: Request) -> JSONResponse:
        db = state["db"]
        docs = await db[COMPLAINTS].find({}).sort([("submittedAt", -1), ("_id", -1)]).limit(PAGE_SIZE + 1).to_list()
        items = docs[:PAGE_SIZE]
        agencies = {d["code"]: d async for d in db[AGENCIES].find({"code": {"$in": list({c["agencyCode"] for c in items})}})}
        categories = {d["code"]: d async for d in db[CATEGORIES].find({"code": {"$in": list({c["categoryCode"] for c in items})}})}
        edges = [
            {
                "cursor": str(doc["_id"]),
                "node": {
                    "id": str(doc["_id"]),
                    "ticketNumber": doc["ticketNumber"],
                    "title": doc["title"],
                    "status": doc["status"],
                    "submittedAt": doc["submittedAt"].isoformat(),
                    "agency": {"code": doc["agencyCode"], "name": agencies[doc["agencyCode"]]["name"]},
                    "category": {"code": doc["categoryCode"], "name": categories[doc["categoryCode"]]["name"]},
                },
            }
            for doc in items
        ]
        page_info = {"hasNextPage": len(docs) > PAGE_SIZE, "endCursor": edges[-1]["cursor"] if edges else None}
        return JSONResponse({"data": {"complaints": {"edges": edges, "pageInfo": page_info}}})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.effective_mongodb_uri, tz_aware=True)
        state["db"] = client[settings.mongodb_database]
        yield
        await client.close()

    return Starlette(routes=[Route("/page", page, methods=["POST"])], lifespan=lifespan)


@contextmanager
def serve(app: Any, port: int) -> Iterator[None]:
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the server on port {port} did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)


async def measure(send: Callable[[httpx.AsyncClient], Awaitable[None]], concurrency: int, total: int) -> Level:
    """Send `total` requests with `concurrency` clients in flight; return throughput and latency percentiles."""
    latencies: list[float] = []
    remaining = total

    async def client_loop(http: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await send(http)
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # 50 clients on SecantusDB queue for minutes, so requests wait as long as they must.
    async with httpx.AsyncClient(limits=limits, timeout=None) as http:
        await send(http)  # warm up the connection and the server's caches
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(http) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return Level(concurrency, len(latencies) / elapsed, quantiles[49] * 1000, quantiles[98] * 1000)


async def run_levels(settings: Settings, gateway_port: int, baseline_port: int, requests: int) -> None:
    token = jwt.encode(
        {"sub": "admin-kota", "role": "admin", "iss": settings.jwt_issuer}, settings.jwt_secret.get_secret_value(), algorithm="HS256"
    )
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": QUERY, "variables": {"first": PAGE_SIZE}}

    async def graphql(http: httpx.AsyncClient) -> None:
        response = await http.post(f"http://127.0.0.1:{gateway_port}/graphql", json=body, headers=headers)
        if response.status_code != 200 or "errors" in response.json():
            raise RuntimeError(f"the gateway failed: {response.status_code} {response.text[:300]}")

    async def plain(http: httpx.AsyncClient) -> None:
        response = await http.post(f"http://127.0.0.1:{baseline_port}/page", json=body)
        response.raise_for_status()

    print(f"{'clients':>7}  {'gateway req/s':>13} {'p50 ms':>7} {'p99 ms':>7}  {'baseline req/s':>14} {'p50 ms':>7} {'p99 ms':>7}"
          f"  {'req/s ratio':>11} {'p50 ratio':>9} {'p99 ratio':>9}")
    for concurrency in CONCURRENCY_LEVELS:
        base = await measure(plain, concurrency, requests)
        gate = await measure(graphql, concurrency, requests)
        print(
            f"{concurrency:>7}  {gate.requests_per_second:>13.1f} {gate.p50_ms:>7.1f} {gate.p99_ms:>7.1f}"
            f"  {base.requests_per_second:>14.1f} {base.p50_ms:>7.1f} {base.p99_ms:>7.1f}"
            f"  {gate.requests_per_second / base.requests_per_second:>11.2f}"
            f" {gate.p50_ms / base.p50_ms:>9.2f} {gate.p99_ms / base.p99_ms:>9.2f}"
        )


def check_local(uri: str | None) -> None:
    if uri and "127.0.0.1" not in uri and "localhost" not in uri:
        raise SystemExit(f"{uri} is not on 127.0.0.1; this benchmark only uses local servers")


def main() -> int:
    args = parse_args()
    check_local(args.mongodb_uri)
    check_local(args.broker_url)
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as folder:
        root = Path(folder)
        processes = []
        try:
            mongodb_uri = args.mongodb_uri
            if mongodb_uri is None:
                port = free_port()
                processes.append((start_secantus(root / "secantus", port, root / "secantus.log"), "SecantusDB"))
                mongodb_uri = f"mongodb://127.0.0.1:{port}/?directConnection=true&retryWrites=false"
            broker_url = args.broker_url
            if broker_url is None:
                port = free_port()
                processes.append((start_redis(root / "redis", port, root / "redis.log", persistent=False), "Redis"))
                broker_url = f"redis://127.0.0.1:{port}/0"
            settings = Settings(
                environment="test", mongodb_uri=mongodb_uri, mongodb_database=args.database, broker_url=broker_url,
                var_dir=root / "var", log_level="WARNING", max_page_size=PAGE_SIZE,
            )
            asyncio.run(load_complaints(settings, args.complaints))
            gateway_port, baseline_port = free_port(), free_port()
            with serve(create_app(settings), gateway_port), serve(baseline_app(settings), baseline_port):
                asyncio.run(run_levels(settings, gateway_port, baseline_port, args.requests))
        finally:
            for process, name in reversed(processes):
                stop_process(process, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
