"""A running gateway over the test's own database, seeded with the Makassar demo catalogue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from services.gateway.app import create_app
from shared.mongo import Database
from shared.settings import Settings
from tanggap.seed import seed_demo


def make_token(settings: Settings, role: str, subject: str | None = None, agency: str | None = None, **claims: Any) -> str:
    now = datetime.now(timezone.utc)
    payload: dict[str, Any] = {
        "sub": subject or f"{role}-{agency or 'kota'}".lower(),
        "role": role,
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + timedelta(hours=1),
        **claims,
    }
    if agency:
        payload["agency"] = agency
    return jwt.encode(payload, settings.jwt_secret.get_secret_value(), algorithm="HS256")


@dataclass
class Gateway:
    app: Starlette
    http: httpx.AsyncClient
    settings: Settings
    db: Database

    def token(self, role: str, subject: str | None = None, agency: str | None = None, **claims: Any) -> str:
        return make_token(self.settings, role, subject, agency, **claims)

    async def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                   language: str | None = None) -> httpx.Response:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if language:
            headers["Accept-Language"] = language
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def execute(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                      language: str | None = None) -> dict[str, Any]:
        response = await self.post(query, variables, token, language)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def gateway(db: Database, settings: Settings) -> AsyncIterator[Gateway]:
    await seed_demo(db, settings)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as http:
            yield Gateway(app=app, http=http, settings=settings, db=db)
