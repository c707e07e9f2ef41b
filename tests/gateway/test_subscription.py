"""complaintUpdated over graphql-transport-ws, against a real Uvicorn server and real change streams."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import uvicorn
from pymongo.errors import PyMongoError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from services.gateway.app import create_app
from services.gateway.realtime import ComplaintWatch, open_change_stream
from services.gateway.schema.ids import object_id
from shared.mongo import COMPLAINTS
from tanggap.servers import free_port
from tests.gateway.conftest import Gateway
from tests.gateway.documents import TRANSFER, agency_id, citizen_token, move, official_token, submit

SUBSCRIBE = "subscription($id: ID!) { complaintUpdated(id: $id) { ticketNumber status reporter { name } } }"
PROTOCOL = "graphql-transport-ws"


@pytest.fixture
def server(gateway: Gateway) -> Iterator[str]:
    """Serve a second app on the test's database with Uvicorn on a free port; yield its ws:// URL."""
    port = free_port()
    settings = gateway.settings.model_copy(update={"subscription_recheck_seconds": 1.0})
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, ws="websockets-sansio", lifespan="on")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test Uvicorn server did not start")
        time.sleep(0.05)
    yield f"ws://127.0.0.1:{port}/graphql"
    uvicorn_server.should_exit = True
    thread.join(timeout=20)


async def receive(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] not in ("ping", "pong", "ka"):
            return message


async def open_subscription(url: str, complaint_id: str, token: str, in_header: bool = False) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"} if in_header else None
    ws = await connect(url, subprotocols=[PROTOCOL], additional_headers=headers)  # type: ignore[list-item]
    payload = {} if in_header else {"Authorization": f"Bearer {token}"}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert (await receive(ws))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"id": complaint_id}}}))
    return ws


async def metric(url: str, name: str) -> float:
    import httpx

    async with httpx.AsyncClient() as http:
        text = (await http.get(url.replace("ws://", "http://").replace("/graphql", "/metrics"))).text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"metric {name} not found")


async def test_update_reaches_subscriber(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], citizen_token(gateway))
    await asyncio.sleep(0.5)  # the stream opens asynchronously after subscribe

    await move(gateway, official_token(gateway, "DLH"), complaint, "VERIFIED")
    message = await receive(ws)

    assert message["type"] == "next"
    assert message["payload"]["data"]["complaintUpdated"] == {
        "ticketNumber": complaint["ticketNumber"], "status": "VERIFIED", "reporter": {"name": "Andi Pelapor"}
    }
    await ws.close()


async def test_token_in_upgrade_header(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], official_token(gateway, "DLH"), in_header=True)
    await asyncio.sleep(0.5)

    await move(gateway, official_token(gateway, "DLH"), complaint, "VERIFIED")

    assert (await receive(ws))["payload"]["data"]["complaintUpdated"]["status"] == "VERIFIED"
    await ws.close()


async def test_other_citizen_gets_public_form(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], citizen_token(gateway, "warga-2"))
    await asyncio.sleep(0.5)

    await move(gateway, official_token(gateway, "DLH"), complaint, "VERIFIED")

    assert (await receive(ws))["payload"]["data"]["complaintUpdated"]["reporter"] is None
    await ws.close()


async def test_stream_ends_when_access_lost(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], official_token(gateway, "DLH"))
    await asyncio.sleep(0.5)

    body = await gateway.execute(
        TRANSFER,
        {"input": {"complaintId": complaint["id"], "agencyId": agency_id("DISHUB"), "note": "Bukan wewenang DLH."}},
        token=official_token(gateway, "DLH", "supervisor"),
    )
    message = await receive(ws)

    assert body["data"]["transferComplaint"]["errors"] == []
    assert message == {"id": "1", "type": "complete"}
    await ws.close()


async def test_other_agency_is_refused(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], official_token(gateway, "DISHUB"))

    message = await receive(ws)

    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    await ws.close()


async def test_invalid_token_closes_connection(gateway: Gateway, server: str) -> None:
    ws = await connect(server, subprotocols=[PROTOCOL])  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer rusak"}}))

    with pytest.raises(ConnectionClosed) as closed:
        await receive(ws)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_invalid_header_token_closes_connection(gateway: Gateway, server: str) -> None:
    ws = await connect(server, subprotocols=[PROTOCOL], additional_headers={"Authorization": "Bearer rusak"})  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))

    with pytest.raises(ConnectionClosed) as closed:
        await receive(ws)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_vanished_client_leaves_no_subscription(gateway: Gateway, server: str) -> None:
    complaint = await submit(gateway)
    ws = await open_subscription(server, complaint["id"], citizen_token(gateway))
    await asyncio.sleep(0.5)
    assert await metric(server, "tanggap_gateway_active_subscriptions") == 1.0

    # the client disappears without complete or close frames
    ws.transport.abort()

    for _ in range(50):
        if await metric(server, "tanggap_gateway_active_subscriptions") == 0.0:
            break
        await asyncio.sleep(0.1)
    assert await metric(server, "tanggap_gateway_active_subscriptions") == 0.0


class FailingOnce:
    """A real change stream that raises once after its first change, as a dropped connection would."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.delivered = 0

    @property
    def resume_token(self) -> Any:
        return self.stream.resume_token

    async def try_next(self) -> Any:
        if self.delivered == 1:
            self.delivered += 1
            raise PyMongoError("connection reset by peer")
        change = await self.stream.try_next()
        if change is not None:
            self.delivered += 1
        return change

    async def close(self) -> None:
        await self.stream.close()


class SilentStream:
    """What SecantusDB returns when resumed from the token of a write a crash lost: nothing, ever, and no error."""

    resume_token = None

    async def try_next(self) -> None:
        await asyncio.sleep(0.05)

    async def close(self) -> None:
        pass


async def test_watch_survives_silent_resumed_stream(gateway: Gateway) -> None:
    # given: the first stream drops after one change, and resuming gives a stream that stays silent
    complaint = await submit(gateway)
    oid = object_id(complaint["id"], "Complaint")
    opened: list[str] = []

    async def opener(db: Any, pipeline: list[dict[str, Any]], resume_after: Any, max_await_ms: int) -> Any:
        opened.append("resume" if resume_after is not None else "fresh")
        if resume_after is not None:
            return SilentStream()
        stream = await open_change_stream(db, pipeline, None, max_await_ms)
        return FailingOnce(stream) if len(opened) == 1 else stream

    watch = ComplaintWatch(gateway.db, oid, recheck_seconds=0.5, max_await_ms=200, open_stream=opener)
    updates: AsyncIterator[dict[str, Any]] = watch.updates()

    async def write(revision_note: str) -> None:
        await gateway.db[COMPLAINTS].update_one({"_id": oid}, {"$inc": {"revision": 1}, "$set": {"note": revision_note}})

    async def next_update() -> dict[str, Any]:
        return await asyncio.wait_for(anext(updates), 15)

    # when / then: every write reaches the consumer, the one during the silent stream included
    first = asyncio.ensure_future(next_update())
    await asyncio.sleep(0.5)
    await write("satu")
    assert (await first)["note"] == "satu"

    second = asyncio.ensure_future(next_update())
    await asyncio.sleep(2.0)  # the failure, the retry delay and the silent resume
    await write("dua")
    assert (await second)["note"] == "dua"

    third = asyncio.ensure_future(next_update())
    await asyncio.sleep(0.5)
    await write("tiga")
    assert (await third)["note"] == "tiga"

    assert opened[:3] == ["fresh", "resume", "fresh"]
    await updates.aclose()  # type: ignore[attr-defined]
