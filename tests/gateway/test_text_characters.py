"""Free text with control or bidirectional formatting characters is rejected, in either language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.conftest import Gateway
from tests.gateway.documents import COMMENT, SUBMIT, category_id, citizen_token, submit


def submission(**fields: Any) -> dict[str, Any]:
    base = {
        "categoryId": category_id("sampah"),
        "title": "Sampah menumpuk di pinggir jalan",
        "description": "Sampah belum diangkut selama tiga hari dan mulai berbau.",
        "location": {"latitude": -5.1477, "longitude": 119.4327, "address": "Jl. Ahmad Yani No. 1"},
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "field", "code_point"),
    [
        ({"title": "Judul\x00dengan kontrol"}, "input.title", "U+0000"),
        ({"title": "Judul dengan escape\x1b[31m"}, "input.title", "U+001B"),
        ({"title": "Judul terbalik \u202edengan override"}, "input.title", "U+202E"),
        ({"title": "Judul\ndua baris"}, "input.title", "U+000A"),
        ({"description": "Uraian panjang yang cukup\u2066 dengan isolasi arah"}, "input.description", "U+2066"),
        ({"description": "Uraian panjang yang cukup\x07 dengan bunyi bel"}, "input.description", "U+0007"),
    ],
)
async def test_control_characters_rejected(gateway: Gateway, fields: dict[str, Any], field: str, code_point: str) -> None:
    token = citizen_token(gateway)
    variables = {"input": submission(**fields)}

    indonesian = (await gateway.execute(SUBMIT, variables, token=token))["data"]["submitComplaint"]
    english = (await gateway.execute(SUBMIT, variables, token=token, language="en"))["data"]["submitComplaint"]

    assert indonesian["complaint"] is None
    assert indonesian["errors"][0]["code"] == "INVALID_CHARACTERS"
    assert indonesian["errors"][0]["field"] == field.split(".")
    assert f"Isian {field} memuat karakter yang tidak diperbolehkan ({code_point})" in indonesian["errors"][0]["message"]
    assert "Hapus karakter tersebut" in indonesian["errors"][0]["message"]
    assert english["errors"][0]["code"] == "INVALID_CHARACTERS"
    assert f"Field {field} contains a character that is not allowed ({code_point})" in english["errors"][0]["message"]


async def test_multiline_text_keeps_newlines_and_tabs(gateway: Gateway) -> None:
    description = "Baris pertama uraian aduan.\n\tBaris kedua, menjorok.\r\nBaris ketiga."
    complaint = await submit(gateway, description=description)
    body = "Terima kasih.\nMohon ditindaklanjuti\tsegera."

    result = await gateway.execute(
        COMMENT, {"input": {"complaintId": complaint["id"], "body": body}}, token=citizen_token(gateway)
    )

    payload = result["data"]["addComplaintComment"]
    assert payload["errors"] == []
    assert payload["complaint"]["timeline"][-1]["body"] == body


async def test_comment_with_bidi_override_rejected(gateway: Gateway) -> None:
    complaint = await submit(gateway)
    variables = {"input": {"complaintId": complaint["id"], "body": "Nomor saya \u202e1234-5678"}}

    result = await gateway.execute(COMMENT, variables, token=citizen_token(gateway))

    error = result["data"]["addComplaintComment"]["errors"][0]
    assert error["code"] == "INVALID_CHARACTERS"
    assert error["field"] == ["input", "body"]
    assert "U+202E" in error["message"]
