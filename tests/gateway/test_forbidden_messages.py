"""FORBIDDEN messages say who may act, in either language."""

from __future__ import annotations

from typing import Any

from tests.gateway.conftest import Gateway
from tests.gateway.documents import COMMENT, citizen_token, official_token, submit

CREATE_AGENCY = (
    "mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { code } errors { field code message } } }"
)


def message_of(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


async def test_forbidden_names_who_may_act(gateway: Gateway) -> None:
    token = citizen_token(gateway)

    code_id, message_id = message_of(await gateway.execute(CREATE_AGENCY, {"input": {"code": "DINASX", "name": "Dinas X"}}, token=token))
    code_en, message_en = message_of(
        await gateway.execute(CREATE_AGENCY, {"input": {"code": "DINASX", "name": "Dinas X"}}, token=token, language="en")
    )

    assert code_id == code_en == "FORBIDDEN"
    assert message_id == (
        "Anda tidak memiliki kewenangan untuk tindakan ini: hanya administrator kota yang dapat melakukannya. "
        "Silakan masuk dengan akun yang memiliki akses."
    )
    assert message_en == "You are not allowed to do this: only city administrators can. Sign in with an account that has access."


async def test_forbidden_for_other_agency_names_handlers(gateway: Gateway) -> None:
    complaint = await submit(gateway)
    token = official_token(gateway, "DINKES")
    variables = {"input": {"complaintId": complaint["id"], "body": "Catatan dari instansi lain."}}

    code, message = message_of(await gateway.execute(COMMENT, variables, token=token))

    assert code == "FORBIDDEN"
    assert "petugas instansi yang menangani aduan ini" in message
