"""The complaints connection: stable pages, filters, text search, public form, and a fixed number of round trips."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pymongo import monitoring

from services.gateway.app import create_app
from shared.timeutil import clock
from tests.gateway.conftest import Gateway
from tests.gateway.documents import admin_token, agency_id, citizen_token, move, official_token, submit

WITA = ZoneInfo("Asia/Makassar")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=WITA)

PAGE = """
query Page($first: Int, $after: String, $filter: ComplaintFilter) {
  complaints(first: $first, after: $after, filter: $filter) {
    edges { cursor node { ticketNumber title status sla { state } reporter { name } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
WIDE_PAGE = """
query Wide($first: Int) {
  complaints(first: $first) {
    edges { node { ticketNumber agency { name } category { name } slaPolicy { version } sla { state responseDueAt }
                   timeline(last: 3) { kind at } } }
  }
}
"""


async def page(gateway: Gateway, token: str, first: int, after: str | None = None, **filter: Any) -> dict[str, Any]:
    body = await gateway.execute(PAGE, {"first": first, "after": after, "filter": filter or None}, token=token)
    assert "errors" not in body, body
    connection: dict[str, Any] = body["data"]["complaints"]
    return connection


def tickets(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["ticketNumber"] for edge in connection["edges"]]


async def test_pages_stay_stable_while_complaints_arrive(gateway: Gateway) -> None:
    # given: seven complaints, three of them filed at the same instant
    filed = []
    for minute in (0, 1, 1, 1, 2, 3, 4):
        clock.freeze(MONDAY_9 + timedelta(minutes=minute))
        filed.append((await submit(gateway))["ticketNumber"])
    admin = admin_token(gateway)

    # when: paging by three while new complaints keep arriving
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        connection = await page(gateway, admin, 3, after)
        seen += tickets(connection)
        pages += 1
        clock.freeze(MONDAY_9 + timedelta(minutes=10 + pages))
        await submit(gateway)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    # then: every complaint of the first read exactly once, newest first (ticket order breaks no tie here)
    assert pages == 3
    assert sorted(seen) == sorted(filed)
    assert len(seen) == len(set(seen))
    assert seen[0] == filed[-1]
    assert seen[-1] == filed[0]


async def test_page_size_is_capped(gateway: Gateway) -> None:
    for _ in range(3):
        await submit(gateway)
    gateway.settings.max_page_size = 2

    connection = await page(gateway, admin_token(gateway), 500)

    assert len(connection["edges"]) == 2
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_filters_and_text_search(gateway: Gateway) -> None:
    await submit(gateway, title="Lampu jalan padam (a.b)", category="lampu-jalan",
                 description="Lampu di depan masjid mati sejak Senin [perlu dicek].")
    rubbish = await submit(gateway)
    await submit(gateway, title="Banjir di Jalan Perintis", category="banjir", description="Air setinggi lutut sejak subuh.")
    await move(gateway, official_token(gateway, "DLH"), rubbish, "VERIFIED")
    admin = admin_token(gateway)

    by_text = await page(gateway, admin, 10, search="MASJID [perlu")
    by_regex_chars = await page(gateway, admin, 10, search="(a.b)")
    by_dot = await page(gateway, admin, 10, search="a.c")
    by_status = await page(gateway, admin, 10, status=["VERIFIED"])
    by_agency = await page(gateway, admin, 10, agencyId=agency_id("BPBD"))
    by_district = await page(gateway, admin, 10, district="ujung pandang")
    by_period = await page(gateway, admin, 10, submittedFrom="2000-01-01T00:00:00+08:00", submittedTo="2000-02-01T00:00:00+08:00")

    assert [n["node"]["title"] for n in by_text["edges"]] == ["Lampu jalan padam (a.b)"]
    assert tickets(by_regex_chars) == tickets(by_text)
    assert tickets(by_dot) == []
    assert tickets(by_status) == [rubbish["ticketNumber"]]
    assert [e["node"]["title"] for e in by_agency["edges"]] == ["Banjir di Jalan Perintis"]
    assert len(by_district["edges"]) == 3
    assert tickets(by_period) == []


async def test_filter_by_sla_state(gateway: Gateway) -> None:
    clock.freeze(MONDAY_9)
    late = await submit(gateway)
    paused = await submit(gateway)
    officer = official_token(gateway, "DLH")
    for status in ("VERIFIED", "IN_PROGRESS", "WAITING_FOR_REPORTER"):
        await move(gateway, officer, paused, status, note="Mohon lengkapi lokasi.")
    clock.freeze(MONDAY_9 + timedelta(days=3))
    fresh = await submit(gateway)
    admin = admin_token(gateway)

    breached = await page(gateway, admin, 10, slaState=["BREACHED"])
    paused_page = await page(gateway, admin, 10, slaState=["PAUSED"])
    on_track = await page(gateway, admin, 10, slaState=["ON_TRACK", "AT_RISK"])

    assert tickets(breached) == [late["ticketNumber"]]
    assert tickets(paused_page) == [paused["ticketNumber"]]
    assert tickets(on_track) == [fresh["ticketNumber"]]


async def test_citizen_lists_others_in_public_form(gateway: Gateway) -> None:
    mine = await submit(gateway, token=citizen_token(gateway, "warga-1"))
    theirs = await submit(gateway, token=citizen_token(gateway, "warga-2", name="Budi Tetangga"))

    everything = await page(gateway, citizen_token(gateway, "warga-1"), 10)
    only_mine = await page(gateway, citizen_token(gateway, "warga-1"), 10, mine=True)

    reporters = {e["node"]["ticketNumber"]: e["node"]["reporter"] for e in everything["edges"]}
    assert reporters[mine["ticketNumber"]] == {"name": "Andi Pelapor"}
    assert reporters[theirs["ticketNumber"]] is None
    assert tickets(only_mine) == [mine["ticketNumber"]]


async def test_official_lists_only_own_agency(gateway: Gateway) -> None:
    rubbish = await submit(gateway)
    await submit(gateway, category="lampu-jalan")

    dlh = await page(gateway, official_token(gateway, "DLH"), 10)
    other_agency_filter = await page(gateway, official_token(gateway, "DLH"), 10, agencyId=agency_id("DISHUB"))

    assert tickets(dlh) == [rubbish["ticketNumber"]]
    assert tickets(other_agency_filter) == []


async def test_bad_cursor_is_bad_user_input(gateway: Gateway) -> None:
    body = await gateway.execute(PAGE, {"first": 2, "after": "bm90LWEtY3Vyc29y"}, token=admin_token(gateway))

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


class CommandCounter(monitoring.CommandListener):
    """Count the commands sent to one database while `active`."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.active = False
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.active and event.database_name == self.database:
            self.commands.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_page_costs_fixed_round_trips(gateway: Gateway) -> None:
    # given: 50 complaints in three agencies, each with several timeline events
    for index in range(50):
        complaint = await submit(gateway, category=("sampah", "lampu-jalan", "drainase")[index % 3])
        if index % 5 == 0:
            agency = {0: "DLH", 1: "DISHUB", 2: "DPU"}[index % 3]
            await move(gateway, official_token(gateway, agency), complaint, "VERIFIED")
    counter = CommandCounter(gateway.settings.mongodb_database)
    # Listeners reach clients created after registration, so this test starts an app of its own.
    monitoring.register(counter)
    app = create_app(gateway.settings)
    token = admin_token(gateway)

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as http:
            counts = {}
            for size in (5, 50):
                counter.active, counter.commands = True, []
                response = await http.post("/graphql", json={"query": WIDE_PAGE, "variables": {"first": size}},
                                           headers={"Authorization": f"Bearer {token}"})
                counter.active = False
                body = response.json()
                assert "errors" not in body, body
                assert len(body["data"]["complaints"]["edges"]) == size
                counts[size] = list(counter.commands)

    # then: complaints, agencies, categories, calendars and events: one query each, whatever the page size
    assert counts[5] == counts[50]
    assert sorted(counts[50]) == ["find", "find", "find", "find", "find"]
