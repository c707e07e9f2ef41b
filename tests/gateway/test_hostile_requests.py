"""Hostile or malformed requests get a clear client error, never a masked server failure or a stalled gateway."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import jwt

from tests.gateway.conftest import Gateway
from tests.gateway.documents import SUBMIT, category_id, citizen_token

VIEWER = "{ viewer { subject role agency { code } } }"
ESTIMATE = "query($c: ID!, $at: DateTime) { slaEstimate(categoryId: $c, at: $at) { resolutionDueAt } }"


def fragment_bomb(levels: int) -> str:
    """Return a short document whose fragments, each spreading the previous one twice, expand to 2**levels fields."""
    fragments = ["fragment F0 on Agency { code }"]
    fragments += [f"fragment F{i} on Agency {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return "\n".join(fragments) + f"\n{{ agencies {{ ...F{levels} }} }}"


def signed(gateway: Gateway, **claims: Any) -> str:
    payload = {"sub": "someone", "iss": gateway.settings.jwt_issuer, **claims}
    return jwt.encode(payload, gateway.settings.jwt_secret.get_secret_value(), algorithm="HS256")


async def test_fragment_bomb_rejected_quickly(gateway: Gateway) -> None:
    # 2**40 fields: expanding the spreads one by one never ends.
    document = fragment_bomb(40)

    body = await asyncio.wait_for(gateway.execute(document), timeout=10)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_small_fragment_tree_still_runs(gateway: Gateway) -> None:
    body = await gateway.execute(fragment_bomb(3))

    assert "errors" not in body
    assert body["data"]["agencies"][0]["code"]


async def test_invalid_utf8_body_is_400(gateway: Gateway) -> None:
    response = await gateway.http.post(
        "/graphql", content=b'{"query": "{ agencies { code } }\xff"}', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert "UTF-8" in response.text


async def test_lone_surrogate_in_variables_is_400(gateway: Gateway) -> None:
    # json.dumps writes the lone surrogate as the escape \ud800, which the JSON grammar allows but no text can hold.
    variables = {"i": {"categoryId": category_id("sampah"), "title": "Judul \ud800 aduan", "description": "Deskripsi yang cukup panjang"}}
    content = json.dumps({"query": SUBMIT, "variables": variables}).encode("ascii")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {citizen_token(gateway)}"}

    response = await gateway.http.post("/graphql", content=content, headers=headers)

    assert response.status_code == 400
    assert "surrogate" in response.text


async def test_token_with_list_role_is_401(gateway: Gateway) -> None:
    response = await gateway.post(VIEWER, token=signed(gateway, role=["admin"]))

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def test_token_with_list_agency_is_401(gateway: Gateway) -> None:
    response = await gateway.post(VIEWER, token=signed(gateway, role="officer", agency=["DLH", "PU"]))

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


async def test_token_with_numeric_phone_is_401(gateway: Gateway) -> None:
    response = await gateway.post(VIEWER, token=signed(gateway, role="citizen", phone_number=81234567890))

    assert response.status_code == 401
    assert "phone_number" in response.json()["errors"][0]["message"]


async def test_estimate_at_end_of_calendar_is_bad_input(gateway: Gateway) -> None:
    body = await gateway.execute(ESTIMATE, {"c": category_id("sampah"), "at": "9999-12-31T23:59:59+14:00"})

    error = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_DATETIME"
    assert "9999" in error["message"]


async def test_deeply_nested_body_is_400(gateway: Gateway) -> None:
    content = b'{"query": "{ agencies { code } }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"

    response = await gateway.http.post("/graphql", content=content, headers={"Content-Type": "application/json"})

    assert response.status_code == 400


async def test_unknown_fragment_is_validation_error(gateway: Gateway) -> None:
    body = await gateway.execute("{ agencies { code ...Missing } }")

    error = body["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Missing" in error["message"]
