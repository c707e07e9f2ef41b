"""Top-level errors: codes, languages, masking of unexpected failures, DateTime inputs and request limits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from services.gateway.app import create_app
from services.gateway.schema.ids import object_id
from shared.mongo import COMPLAINTS
from tests.gateway.conftest import Gateway
from tests.gateway.documents import admin_token, category_id, submit

ESTIMATE = "query($c: ID!, $at: DateTime) { slaEstimate(categoryId: $c, at: $at) { resolutionDueAt } }"
SLA_OF = "query($id: ID) { complaint(id: $id) { ticketNumber sla { state } } }"


@asynccontextmanager
async def gateway_with(gateway: Gateway, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """Start a second app on the same database with some settings changed."""
    app = create_app(gateway.settings.model_copy(update=overrides))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test") as http:
            yield http


def first_error(body: dict[str, Any]) -> dict[str, Any]:
    error: dict[str, Any] = body["errors"][0]
    return error


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-03-05T09:30:00", "selisih waktu terhadap UTC tidak disertakan"),
        ("2026-03-05", "tanggal saja belum menunjukkan suatu saat; tambahkan jam dan zona waktu"),
    ],
)
async def test_datetime_without_offset_rejected(gateway: Gateway, value: str, reason: str) -> None:
    body = await gateway.execute(ESTIMATE, {"c": category_id("sampah"), "at": value})

    error = first_error(body)
    assert body["data"] is None
    assert error["extensions"]["code"] == "INVALID_DATETIME"
    assert error["message"] == (
        f"Nilai {value} tidak dapat diterima sebagai DateTime ({reason}). Sertakan tanggal, jam dan zona waktu, "
        "misalnya 2026-03-05T09:30:00+08:00."
    )


async def test_datetime_literal_rejected_in_english(gateway: Gateway) -> None:
    query = '{ agencyPerformance(from: "2026-03-01", to: "2026-04-01T00:00:00+08:00") { received } }'

    body = await gateway.execute(query, language="en")

    error = first_error(body)
    assert error["extensions"]["code"] == "INVALID_DATETIME"
    assert error["message"].startswith("Value 2026-03-01 is not a valid DateTime")


async def test_datetime_with_offset_accepted(gateway: Gateway) -> None:
    body = await gateway.execute(ESTIMATE, {"c": category_id("sampah"), "at": "2026-03-05T01:30:00Z"})

    assert body["data"]["slaEstimate"]["resolutionDueAt"] == "2026-03-09T08:00:00+00:00"


async def test_unexpected_error_masked_and_logged(gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    # given: a complaint whose stored policy names a calendar that does not exist
    broken = await submit(gateway)
    healthy = await submit(gateway)
    await gateway.db[COMPLAINTS].update_one(
        {"_id": object_id(broken["id"], "Complaint")}, {"$set": {"policy.calendarCode": "kalender-hilang"}}
    )
    token = admin_token(gateway)

    # when: the broken and a healthy request run at the same time
    with caplog.at_level(logging.ERROR, logger="services.gateway.schema.error_policy"):
        failing, fine = await asyncio.gather(
            gateway.execute(SLA_OF, {"id": broken["id"]}, token=token),
            gateway.execute(SLA_OF, {"id": healthy["id"]}, token=token),
        )

    # then: the failure is masked, with a reference found in the log with its traceback
    error = first_error(failing)
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "kalender-hilang" not in error["message"]
    assert error["message"].startswith("Terjadi kesalahan pada server.")
    assert error["path"] == ["complaint", "sla"]
    records = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(records) == 1
    assert records[0].reference in error["message"]  # type: ignore[attr-defined]
    assert records[0].exc_info is not None
    assert "errors" not in fine
    assert fine["data"]["complaint"]["sla"]["state"] == "ON_TRACK"


async def test_invalid_token_is_401(gateway: Gateway) -> None:
    english = await gateway.http.post(
        "/graphql", json={"query": "{ agencies { code } }"}, headers={"Authorization": "Bearer not.a.jwt", "Accept-Language": "en"}
    )
    wrong_scheme = await gateway.http.post("/graphql", json={"query": "{ agencies { code } }"}, headers={"Authorization": "Basic eDp5"})

    assert english.status_code == 401
    assert english.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert english.json()["errors"][0]["message"].startswith("The access token is invalid")
    assert wrong_scheme.status_code == 401
    assert wrong_scheme.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"
    assert wrong_scheme.json()["errors"][0]["message"].startswith("Header Authorization tidak sesuai format")


async def test_token_of_other_issuer_rejected(gateway: Gateway) -> None:
    token = gateway.token("admin", "admin-kota", iss="penerbit-lain")

    response = await gateway.post("{ agencies { code } }", token=token)

    assert response.status_code == 401


async def test_validation_and_parse_errors_have_codes(gateway: Gateway) -> None:
    unknown_field = await gateway.execute("{ agencies { kode } }")
    broken_syntax = await gateway.execute("{ agencies { code }")

    assert first_error(unknown_field)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert first_error(unknown_field)["message"].startswith("Permintaan GraphQL tidak sesuai dengan skema: ")
    assert first_error(broken_syntax)["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_cost_limit_counts_fragments(gateway: Gateway) -> None:
    query = """
    query { complaints(first: 100) { edges { node { ...Heavy } } } }
    fragment Heavy on Complaint { timeline { assignee { agency { code name timezone } } fromAgency { code name } } }
    """

    body = await gateway.execute(query, token=admin_token(gateway))

    error = first_error(body)
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "batas 5000" in error["message"]


async def test_alias_limit(gateway: Gateway) -> None:
    query = "{ " + " ".join(f"a{i}: agencies {{ code }}" for i in range(31)) + " }"

    body = await gateway.execute(query)

    assert first_error(body)["extensions"]["code"] == "TOO_MANY_ALIASES"


async def test_depth_limit(gateway: Gateway) -> None:
    query = "{ complaints { edges { node { timeline { assignee { agency { code } } } } } } }"

    async with gateway_with(gateway, max_query_depth=4) as http:
        response = await http.post("/graphql", json={"query": query}, headers={"Accept-Language": "en"})

    error = first_error(response.json())
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert error["message"] == "The query is too deep: the maximum depth is 4 levels."


async def test_introspection_and_suggestions_switch_off(gateway: Gateway) -> None:
    async with gateway_with(gateway, introspection=False, field_suggestions=False) as http:
        schema = await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        typo = await http.post("/graphql", json={"query": "{ agencies { nme } }"})
    open_schema = await gateway.execute("{ __schema { queryType { name } } }")
    open_typo = await gateway.execute("{ agencies { nme } }")

    assert first_error(schema.json())["extensions"]["code"] == "INTROSPECTION_DISABLED"
    assert "Did you mean" not in first_error(typo.json())["message"]
    assert open_schema["data"]["__schema"]["queryType"]["name"] == "Query"
    assert "Did you mean" in first_error(open_typo)["message"]


async def test_malformed_id_is_invalid_id(gateway: Gateway) -> None:
    body = await gateway.execute(SLA_OF, {"id": "bukan-id"}, token=admin_token(gateway))

    assert first_error(body)["extensions"]["code"] == "INVALID_ID"
