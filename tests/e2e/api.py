"""A GraphQL client over real HTTP, and tokens made by `tanggap token` as a user makes them."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx

from tests.e2e.stack import tanggap_command


class GraphQLFailed(AssertionError):
    """The gateway responded with top-level errors or a status other than 200."""


def issue_token(env: dict[str, str], *args: str) -> str:
    """Return the JWT `tanggap token ARGS` prints with the stack's settings."""
    result = subprocess.run(
        [*tanggap_command(), "token", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"tanggap token {' '.join(args)} failed: {result.stderr}"
    token = result.stdout.strip()
    assert token.count(".") == 2, f"tanggap token printed no JWT: {result.stdout!r}"
    return token


class GraphQLClient:
    """POSTs documents to `/graphql`; proxies from the environment are ignored, so requests stay on 127.0.0.1."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0, trust_env=False)

    def close(self) -> None:
        self.http.close()

    def execute(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        """Return `data`, or raise GraphQLFailed naming the top-level errors."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.post("/graphql", json={"query": document, "variables": variables or {}}, headers=headers)
        if response.status_code != 200:
            raise GraphQLFailed(f"HTTP {response.status_code} from /graphql: {response.text[:2000]}")
        body = response.json()
        if body.get("errors"):
            raise GraphQLFailed(f"GraphQL errors: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    def mutate(self, document: str, field: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
        """Run a mutation and return its payload, asserting that the payload carries no user errors."""
        payload: dict[str, Any] = self.execute(document, variables, token)[field]
        assert payload["errors"] == [], f"{field} was rejected: {payload['errors']}"
        return payload
