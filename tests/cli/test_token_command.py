"""`tanggap token`: signed development JWTs with the gateway's claims, and clear errors for bad input."""

from __future__ import annotations

import json
from typing import Any

import jwt
import pytest
from cli_harness import clean_environment, run_tanggap

SECRET = "a-test-secret-of-decent-length-0123456789"


def settings_env(**overrides: str) -> dict[str, str]:
    settings = {"TANGGAP_JWT_SECRET": SECRET, "TANGGAP_JWT_ISSUER": "tanggap-test", "TANGGAP_JWT_TTL_HOURS": "3"}
    return clean_environment(**{**settings, **overrides})


def decode(token: str) -> dict[str, Any]:
    return jwt.decode(token, SECRET, algorithms=["HS256"], issuer="tanggap-test")


def test_citizen_token_round_trip() -> None:
    result = run_tanggap(
        ["token", "--role", "citizen", "--subject", "warga-42", "--phone", "0812-3456-7890", "--email", "warga@contoh.example"],
        settings_env(),
    )

    assert result.returncode == 0, result.stderr
    claims = decode(result.stdout.strip())
    assert claims["sub"] == "warga-42"
    assert claims["role"] == "citizen"
    assert claims["phone_number"] == "+6281234567890"
    assert claims["email"] == "warga@contoh.example"
    assert claims["iss"] == "tanggap-test"
    assert claims["exp"] - claims["iat"] == 3 * 3600
    assert "agency" not in claims


def test_official_token_defaults_to_demo_official() -> None:
    result = run_tanggap(["token", "--role", "Supervisor", "--agency", "dlh"], settings_env())

    assert result.returncode == 0, result.stderr
    claims = decode(result.stdout.strip())
    assert claims["role"] == "supervisor"
    assert claims["agency"] == "DLH"
    assert claims["sub"] == "dlh-supervisor-1"


def test_admin_token_has_no_agency() -> None:
    result = run_tanggap(["token", "--role", "admin"], settings_env())

    assert result.returncode == 0, result.stderr
    claims = decode(result.stdout.strip())
    assert claims["sub"] == "admin-kota"
    assert "agency" not in claims


def test_header_format_is_graphiql_headers() -> None:
    result = run_tanggap(["token", "--role", "citizen", "--format", "header"], settings_env())

    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout)
    scheme, token = headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert decode(token)["role"] == "citizen"


def test_token_signed_with_configured_secret() -> None:
    result = run_tanggap(["token", "--role", "citizen"], settings_env())

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(result.stdout.strip(), "another-secret-of-decent-length-987654", algorithms=["HS256"])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--role", "mayor"], "'mayor'"),
        (["--role", "officer"], "--agency"),
        (["--role", "head", "--agency", "D L H"], "'D L H'"),
        (["--role", "citizen", "--agency", "DLH"], "--agency 'DLH'"),
        (["--role", "citizen", "--phone", "12"], "'12'"),
        (["--role", "citizen", "--email", "warga.contoh"], "'warga.contoh'"),
        ([], "--role"),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], named: str) -> None:
    result = run_tanggap(["token", *args], settings_env())

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert named in result.stderr


def test_invalid_setting_names_the_variable() -> None:
    result = run_tanggap(["token", "--role", "citizen"], settings_env(TANGGAP_JWT_TTL_HOURS="twelve"))

    assert result.returncode == 2
    assert "TANGGAP_JWT_TTL_HOURS='twelve'" in result.stderr
    assert "Traceback" not in result.stderr


def test_public_key_configuration_is_refused() -> None:
    env = settings_env(TANGGAP_JWT_PUBLIC_KEY="-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", TANGGAP_JWT_ALGORITHM="RS256")

    result = run_tanggap(["token", "--role", "citizen"], env)

    assert result.returncode == 2
    assert "TANGGAP_JWT_PUBLIC_KEY" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_token_lifetime_below_one_hour_rejected(hours: str) -> None:
    result = run_tanggap(["token", "--role", "citizen"], settings_env(TANGGAP_JWT_TTL_HOURS=hours))

    assert result.returncode == 2
    assert result.stdout == ""
    assert f"TANGGAP_JWT_TTL_HOURS='{hours}'" in result.stderr
    assert "greater than or equal to 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_subject_with_other_role_warns() -> None:
    result = run_tanggap(["token", "--role", "supervisor", "--agency", "DLH", "--subject", "dlh-officer-1"], settings_env())

    assert result.returncode == 0, result.stderr
    assert decode(result.stdout.strip())["role"] == "supervisor"
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1, result.stderr
    assert "warning" in warnings[0]
    assert "dlh-officer-1 is the demo officer of DLH" in warnings[0]


def test_demo_subject_with_own_role_is_quiet() -> None:
    result = run_tanggap(["token", "--role", "officer", "--agency", "dlh", "--subject", "dlh-officer-1"], settings_env())

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_citizen_without_contact_warns() -> None:
    result = run_tanggap(["token", "--role", "citizen"], settings_env())

    assert result.returncode == 0, result.stderr
    assert decode(result.stdout.strip())["role"] == "citizen"
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1, result.stderr
    assert "--phone or --email" in warnings[0]


@pytest.mark.parametrize("contact", [["--phone", "081234567890"], ["--email", "warga@contoh.example"]])
def test_citizen_with_one_contact_is_quiet(contact: list[str]) -> None:
    result = run_tanggap(["token", "--role", "citizen", *contact], settings_env())

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
