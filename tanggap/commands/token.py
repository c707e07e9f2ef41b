"""`tanggap token`: print a signed development JWT for the running configuration.

The token carries the claims the gateway reads: `sub`, `role`, `agency` for
officials, and the OpenID Connect claims `phone_number` and `email`, which is
how the city's identity provider passes on a citizen's contact details.

Some valid tokens are probably not what the user meant: a demo official's
subject under another role or agency, or a citizen without contact details.
They are still printed, because an identity provider may issue such tokens
too, and a one-line warning on stderr says what is unusual.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from typing import Any

from tanggap.commands import CommandError, load_settings

ROLES = ("citizen", "officer", "supervisor", "head", "admin")
AGENCY_ROLES = frozenset({"officer", "supervisor", "head"})
HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})

AGENCY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "token",
        help="print a signed development JWT",
        description="Print a JWT signed with TANGGAP_JWT_SECRET, valid for TANGGAP_JWT_TTL_HOURS hours.",
    )
    parser.add_argument("--role", required=True, help="citizen, officer, supervisor, head or admin")
    parser.add_argument("--agency", help="agency code, e.g. DLH; required for officer, supervisor and head")
    parser.add_argument(
        "--subject",
        help="the `sub` claim; defaults to the demo official of the role (e.g. dlh-officer-1) or citizen-demo",
    )
    parser.add_argument("--phone", help="the citizen's phone number, normalised to E.164 (e.g. 0812… becomes +62812…)")
    parser.add_argument("--email", help="the citizen's e-mail address")
    parser.add_argument(
        "--format",
        choices=("jwt", "header"),
        default="jwt",
        help="`jwt` prints the bare token; `header` prints the JSON headers object for GraphiQL",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    token = build_token(
        settings,
        role=args.role,
        agency=args.agency,
        subject=args.subject,
        phone=args.phone,
        email=args.email,
    )

    # Only after build_token accepted every value, so that an error stays the one line printed.
    for warning in identity_warnings(args.role, args.agency, args.subject, args.phone, args.email):
        print(f"tanggap token: warning: {warning}", file=sys.stderr)

    if args.format == "header":
        print(json.dumps({"Authorization": f"Bearer {token}"}))
    else:
        print(token)
    return 0


def build_token(
    settings: Any,
    *,
    role: str,
    agency: str | None = None,
    subject: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> str:
    """Return a signed JWT with the gateway's claims; raise `CommandError` for invalid values."""
    import jwt

    from shared.timeutil import clock

    algorithm = signing_algorithm(settings)
    role = check_role(role)
    agency = check_agency(role, agency)

    now = clock.now()
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "sub": subject or default_subject(role, agency),
        "role": role,
        "iat": now,
        "exp": now + timedelta(hours=settings.jwt_ttl_hours),
    }
    if agency is not None:
        claims["agency"] = agency
    if phone is not None:
        claims["phone_number"] = normalize_phone(phone)
    if email is not None:
        claims["email"] = check_email(email)

    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=algorithm)


def identity_warnings(
    role: str, agency: str | None, subject: str | None, phone: str | None, email: str | None
) -> list[str]:
    """Return a sentence for each valid claim that differs from what the demo data or a citizen's updates need."""
    role = role.strip().lower()
    agency = agency.strip().upper() if agency else None
    warnings = []

    demo = demo_officials().get(subject) if subject else None
    if demo is not None and demo != (role, agency):
        demo_role, demo_agency = demo
        of_agency = f" of {demo_agency}" if demo_agency else ""
        warnings.append(
            f"{subject} is the demo {demo_role}{of_agency}, but this token gives it the role "
            f"{role}{f' of {agency}' if agency else ''}; the token is issued as requested"
        )

    if role == "citizen" and not phone and not email:
        warnings.append(
            "a citizen token without --phone or --email: complaints filed with it get no SMS or e-mail updates"
        )
    return warnings


def demo_officials() -> dict[str, tuple[str, str | None]]:
    """Return the role and agency of each official `tanggap seed` creates, by subject."""
    from tanggap.seed import load_catalogue, official_docs

    catalogue = load_catalogue()
    officials: dict[str, tuple[str, str | None]] = {}
    for agency in catalogue["agencies"]:
        for official in official_docs(agency["code"], catalogue["officialRoles"], agency["name"]):
            officials[official["subject"]] = (official["role"], official["agencyCode"])
    for admin in catalogue["cityAdmins"]:
        officials[admin["subject"]] = ("admin", None)
    return officials


def signing_algorithm(settings: Any) -> str:
    if settings.jwt_public_key is not None:
        raise CommandError(
            "the gateway verifies tokens with TANGGAP_JWT_PUBLIC_KEY, so a token signed with "
            "TANGGAP_JWT_SECRET would be rejected; get a token from the identity provider, "
            "or unset TANGGAP_JWT_PUBLIC_KEY for development"
        )
    if settings.jwt_algorithm not in HMAC_ALGORITHMS:
        raise CommandError(
            f"TANGGAP_JWT_ALGORITHM={settings.jwt_algorithm!r} needs a key pair; "
            "`tanggap token` signs with a shared secret only (HS256, HS384 or HS512)"
        )
    return str(settings.jwt_algorithm)


def check_role(role: str) -> str:
    normalized = role.strip().lower()
    if normalized not in ROLES:
        raise CommandError(f"invalid role {role!r}; use one of {', '.join(ROLES)}")
    return normalized


def check_agency(role: str, agency: str | None) -> str | None:
    if agency is None:
        if role in AGENCY_ROLES:
            raise CommandError(f"the role {role!r} belongs to an agency; add --agency CODE, e.g. --agency DLH")
        return None

    if role not in AGENCY_ROLES:
        raise CommandError(f"--agency {agency!r} is only for officer, supervisor and head; leave it out for {role!r}")

    code = agency.strip().upper()
    if not AGENCY_CODE.match(code):
        raise CommandError(f"invalid agency code {agency!r}; use the agency's code, e.g. DLH or DISHUB")
    return code


def default_subject(role: str, agency: str | None) -> str:
    """Return the subject of the matching demo official, so that alerts reach a seeded contact."""
    if role == "citizen":
        return "citizen-demo"
    if role == "admin":
        return "admin-kota"
    return f"{(agency or '').lower()}-{role}-1"


def check_email(email: str) -> str:
    address = email.strip()
    if not EMAIL_ADDRESS.match(address):
        raise CommandError(f"invalid e-mail address {email!r}; give one like warga@contoh.example")
    return address


def normalize_phone(number: str) -> str:
    from shared.phone import normalize_id_phone

    try:
        return normalize_id_phone(number)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
