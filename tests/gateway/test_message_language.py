"""Messages are wholly Indonesian by default and wholly English with Accept-Language: en, details included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
import pytest

from tests.gateway.conftest import Gateway
from tests.gateway.documents import admin_token, category_id

LIST = "query($first: Int) { complaints(first: $first) { edges { node { ticketNumber } } } }"
LIST_AFTER = "query($after: String) { complaints(first: 5, after: $after) { edges { node { ticketNumber } } } }"
LOOKUP = "query($id: ID, $t: String) { complaint(id: $id, ticketNumber: $t) { ticketNumber } }"
PERFORMANCE = "query($from: DateTime!, $to: DateTime!) { agencyPerformance(from: $from, to: $to) { received } }"
ESTIMATE = "query($c: ID!, $at: DateTime) { slaEstimate(categoryId: $c, at: $at) { resolutionDueAt } }"
AGENCIES = "{ agencies { code } }"
CREATE_AGENCY = (
    "mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { code } errors { field code message } } }"
)

# English words that must never show in an Indonesian message's detail.
ENGLISH_WORDS = ("must", "give", "invalid", "expired", "offset", "alone", "signature", "Sign in", "later than")


def message_of(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


def assert_indonesian(message: str) -> None:
    for word in ENGLISH_WORDS:
        assert word not in message, f"English {word!r} in {message!r}"


@pytest.mark.parametrize(
    ("query", "variables", "indonesian", "english"),
    [
        (LIST, {"first": 0}, "argumen first harus bernilai paling kecil 1, sedangkan yang dikirim 0.", "first must be at least 1, not 0."),
        (LOOKUP, {}, "isi tepat satu di antara id dan ticketNumber.", "give exactly one of id and ticketNumber."),
        (LIST_AFTER, {"after": "bukan-kursor"}, "kursor 'bukan-kursor' tidak valid.", "cursor 'bukan-kursor' is invalid."),
        (
            PERFORMANCE,
            {"from": "2026-03-05T00:00:00+08:00", "to": "2026-03-01T00:00:00+08:00"},
            "waktu akhir `to` harus lebih lambat daripada waktu awal `from`.",
            "`to` must be later than `from`.",
        ),
    ],
)
async def test_bad_user_input_detail_in_language(
    gateway: Gateway, query: str, variables: dict[str, Any], indonesian: str, english: str
) -> None:
    token = admin_token(gateway)

    code_id, message_id = message_of(await gateway.execute(query, variables, token=token))
    code_en, message_en = message_of(await gateway.execute(query, variables, token=token, language="en"))

    assert code_id == code_en == "BAD_USER_INPUT"
    assert message_id.startswith("Data masukan tidak valid: ")
    assert indonesian in message_id
    assert_indonesian(message_id)
    assert message_en.startswith("The input is invalid: ")
    assert english in message_en


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        ("garbage", "bukan tanggal dan waktu ISO 8601 yang valid", "not a valid ISO 8601 date-time"),
        ("kemarin", "bukan tanggal dan waktu ISO 8601 yang valid", "not a valid ISO 8601 date-time"),
        ("2026-03-05", "tanggal saja belum menunjukkan suatu saat", "a date alone is not an instant"),
        ("2026-03-05T09:30:00", "selisih waktu terhadap UTC tidak disertakan", "no UTC offset"),
        ("0001-01-01T00:00:00+00:00", "tahun harus di antara 1900 dan 2999", "the year must be between 1900 and 2999"),
    ],
)
async def test_datetime_reason_in_language(gateway: Gateway, value: str, indonesian: str, english: str) -> None:
    variables = {"c": category_id("sampah"), "at": value}

    code_id, message_id = message_of(await gateway.execute(ESTIMATE, variables))
    code_en, message_en = message_of(await gateway.execute(ESTIMATE, variables, language="en"))

    assert code_id == code_en == "INVALID_DATETIME"
    assert f"({indonesian}" in message_id
    assert_indonesian(message_id)
    assert f"({english}" in message_en


async def test_datetime_literal_reason_in_language(gateway: Gateway) -> None:
    query = '{ agencyPerformance(from: "kemarin", to: "2026-04-01T00:00:00+08:00") { received } }'

    code, message = message_of(await gateway.execute(query, token=admin_token(gateway)))

    assert code == "INVALID_DATETIME"
    assert "bukan tanggal dan waktu ISO 8601 yang valid" in message


def signed(gateway: Gateway, **claims: Any) -> str:
    settings = gateway.settings
    payload = {"sub": "admin-kota", "role": "admin", "iss": settings.jwt_issuer, **claims}
    return jwt.encode(payload, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm)


async def post_with(gateway: Gateway, authorization: str, language: str | None = None) -> tuple[int, str, str]:
    headers = {"Authorization": authorization}
    if language:
        headers["Accept-Language"] = language
    response = await gateway.http.post("/graphql", json={"query": AGENCIES}, headers=headers)
    code, message = message_of(response.json())
    return response.status_code, code, message


async def test_token_reasons_in_language(gateway: Gateway) -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    future = dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc)
    good = signed(gateway)
    cases = [
        (signed(gateway, exp=past), "masa berlaku token telah habis", "the token has expired"),
        (signed(gateway, nbf=future), "token belum berlaku", "the token is not valid yet"),
        (good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"), "tanda tangan token tidak cocok", "signature does not match"),
        ("bukan.sebuah.jwt", "token rusak atau bukan JWT", "the token is malformed or not a JWT"),
        (signed(gateway, iss="penerbit-lain"), "tidak diterbitkan oleh penyedia identitas", "not issued by this service's identity provider"),
        (signed(gateway, role="tamu"), "peran 'tamu' tidak dikenal", "role 'tamu' is unknown"),
        (signed(gateway, role="officer"), "wajib memuat klaim agency", "needs the agency claim"),
    ]

    for token, indonesian, english in cases:
        status_id, code_id, message_id = await post_with(gateway, f"Bearer {token}")
        status_en, code_en, message_en = await post_with(gateway, f"Bearer {token}", "en")

        assert (status_id, status_en) == (401, 401)
        assert code_id == code_en == "INVALID_TOKEN"
        assert message_id.startswith("Token akses tidak valid (")
        assert indonesian in message_id
        assert_indonesian(message_id)
        assert message_en.startswith("The access token is invalid (")
        assert english in message_en


async def test_missing_bearer_prefix_explained(gateway: Gateway) -> None:
    token = signed(gateway)

    status_id, code_id, message_id = await post_with(gateway, token)
    status_en, code_en, message_en = await post_with(gateway, token, "en")

    assert (status_id, status_en) == (401, 401)
    assert code_id == code_en == "INVALID_TOKEN"
    assert "awalan Bearer" in message_id
    assert "masuk kembali" not in message_id
    assert "Bearer prefix" in message_en
    assert "Sign in again" not in message_en


async def test_invalid_value_detail_in_language(gateway: Gateway) -> None:
    variables = {"input": {"code": "dinas kecil", "name": "Dinas Contoh"}}
    token = admin_token(gateway)

    indonesian = (await gateway.execute(CREATE_AGENCY, variables, token=token))["data"]["createAgency"]["errors"][0]
    english = (await gateway.execute(CREATE_AGENCY, variables, token=token, language="en"))["data"]["createAgency"]["errors"][0]

    assert indonesian["code"] == english["code"] == "INVALID_VALUE"
    assert indonesian["message"] == "Nilai tidak valid: kode 'dinas kecil' tidak sesuai format. Contoh kode yang benar: DISHUB."
    assert english["message"] == "The value is invalid: code 'dinas kecil' does not match the format. A valid code looks like DISHUB."
