"""Bearer tokens: who is calling, read from a JWT signed by the city's identity provider.

Claims: `sub`, `role` (citizen, officer, supervisor, head, admin), `agency`
(an official's agency code), `iss`, and for citizens the OpenID Connect
claims `phone_number`, `email` and optionally `name`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from services.gateway.details import Detail, detail
from services.gateway.errors import AuthenticationError
from shared.settings import Settings

log = logging.getLogger(__name__)

CITIZEN = "citizen"
ADMIN = "admin"
OFFICIAL_ROLES = frozenset({"officer", "supervisor", "head"})
ROLES = frozenset({CITIZEN, ADMIN}) | OFFICIAL_ROLES


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    subject: str
    role: str
    agency: str | None = None
    phone_number: str | None = None
    email: str | None = None
    name: str | None = None

    @property
    def is_citizen(self) -> bool:
        return self.role == CITIZEN

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an `Authorization: Bearer …` value, None when the header is absent."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("INVALID_TOKEN", message_key="INVALID_AUTHORIZATION_HEADER")
    return token.strip()


def _verification_key(settings: Settings) -> str:
    if settings.jwt_public_key is not None:
        return settings.jwt_public_key.get_secret_value()
    return settings.jwt_secret.get_secret_value()


# Claims this service reads that must be strings when present; another JSON type is a malformed token.
STRING_CLAIMS = ("role", "agency", "phone_number", "email", "name")


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Check the claims this service relies on and build the caller from them."""
    for name in STRING_CLAIMS:
        value = claims.get(name)
        if value is not None and not isinstance(value, str):
            raise AuthenticationError(
                "INVALID_TOKEN", reason=detail("TOKEN_CLAIM_NOT_STRING", claim=name, type=type(value).__name__)
            )

    role = claims.get("role")
    if role not in ROLES:
        raise AuthenticationError("INVALID_TOKEN", reason=detail("TOKEN_ROLE_UNKNOWN", role=repr(role)))
    agency = claims.get("agency") or None
    if role in OFFICIAL_ROLES and not agency:
        raise AuthenticationError("INVALID_TOKEN", reason=detail("TOKEN_AGENCY_MISSING", role=role))
    return Principal(
        subject=str(claims["sub"]),
        role=role,
        agency=agency if role in OFFICIAL_ROLES else None,
        phone_number=claims.get("phone_number") or None,
        email=claims.get("email") or None,
        name=claims.get("name") or None,
    )


# PyJWT 2 raises these; subclasses come before their bases (InvalidSignatureError is a DecodeError).
_TOKEN_ERROR_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "TOKEN_EXPIRED"),
    (jwt.ImmatureSignatureError, "TOKEN_NOT_YET_VALID"),
    (jwt.InvalidSignatureError, "TOKEN_SIGNATURE_INVALID"),
    (jwt.InvalidIssuerError, "TOKEN_ISSUER_INVALID"),
    (jwt.InvalidAudienceError, "TOKEN_AUDIENCE_INVALID"),
    (jwt.InvalidIssuedAtError, "TOKEN_ISSUED_AT_INVALID"),
    (jwt.InvalidAlgorithmError, "TOKEN_ALGORITHM_INVALID"),
    (jwt.DecodeError, "TOKEN_MALFORMED"),
)


def token_error_reason(exc: jwt.PyJWTError) -> Detail:
    """Translate PyJWT's exception into a reason people can read in either language."""
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return detail("TOKEN_CLAIM_MISSING", claim=exc.claim)
    for error_class, key in _TOKEN_ERROR_REASONS:
        if isinstance(exc, error_class):
            return detail(key)
    return detail("TOKEN_REJECTED")


def decode_token(token: str, settings: Settings) -> Principal:
    """Verify the signature, issuer and expiry of `token` and return its principal."""
    try:
        claims = jwt.decode(
            token,
            _verification_key(settings),
            algorithms=[settings.jwt_algorithm],
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "iss", "role"]},
        )
    except jwt.PyJWTError as exc:
        log.info("Rejected a bearer token: %s", exc)
        raise AuthenticationError("INVALID_TOKEN", reason=token_error_reason(exc)) from exc
    return principal_from_claims(claims)


def authenticate(authorization: str | None, settings: Settings) -> Principal | None:
    """Return the caller named by an Authorization header value, or None for an anonymous request."""
    token = bearer_token(authorization)
    if token is None:
        return None
    return decode_token(token, settings)
