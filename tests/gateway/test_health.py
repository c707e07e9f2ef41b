"""Health, readiness, metrics and the provider callback route."""

from __future__ import annotations

from pathlib import Path

import httpx

from services.gateway.app import create_app
from tanggap.servers import free_port, start_secantus, stop_process
from tests.gateway.conftest import Gateway


async def test_healthz_and_readyz(gateway: Gateway) -> None:
    health = await gateway.http.get("/healthz")
    ready = await gateway.http.get("/readyz")

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["mongodb"] == "ok"


async def test_readyz_fails_when_mongodb_stops(gateway: Gateway, tmp_path: Path) -> None:
    # given: a gateway on a SecantusDB server of its own
    port = free_port()
    process = start_secantus(tmp_path / "secantus", port, tmp_path / "secantus.log")
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true&retryWrites=false&serverSelectionTimeoutMS=500"
    app = create_app(gateway.settings.model_copy(update={"mongodb_uri": uri}))
    try:
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as http:
                before = await http.get("/readyz")

                # when: the database goes away
                stop_process(process, "SecantusDB")
                after = await http.get("/readyz")
                health = await http.get("/healthz")
    finally:
        stop_process(process, "SecantusDB")

    # then
    assert before.status_code == 200
    assert after.status_code == 503
    assert after.json() == {"status": "unavailable", "mongodb": "unreachable"}
    assert health.status_code == 200


async def test_metrics_count_requests(gateway: Gateway) -> None:
    await gateway.execute("{ agencies { code } }")

    text = (await gateway.http.get("/metrics")).text

    assert 'tanggap_gateway_http_requests_total{method="POST",route="/graphql",status="200"} 1.0' in text
    assert "tanggap_gateway_active_subscriptions 0.0" in text


async def test_graphiql_served_in_browser(gateway: Gateway) -> None:
    page = await gateway.http.get("/graphql", headers={"Accept": "text/html"})

    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_twilio_callback_is_mounted(gateway: Gateway) -> None:
    response = await gateway.http.post("/callbacks/sms/twilio", data={"MessageSid": "SM1", "MessageStatus": "delivered"})

    # The route delegates to the shared delivery-status handler; an unsigned request must not be accepted as delivered.
    assert response.status_code != 404
    assert response.status_code != 405
