"""The audit log: every administrator's change, with who, when, and the values before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession

from services.gateway.auth import Principal
from shared.mongo import AUDIT_LOG, Database

# Stored documents carry their own bookkeeping; the log shows what a person changed.
_IGNORED = ("_id", "createdAt", "updatedAt")


def _snapshot(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {key: value for key, value in doc.items() if key not in _IGNORED}


async def record_audit(
    db: Database,
    principal: Principal,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime,
    session: AsyncClientSession | None = None,
) -> None:
    """Append one entry; `entity` is e.g. "agency", `action` e.g. "update"."""
    await db[AUDIT_LOG].insert_one(
        {
            "entity": entity,
            "entityId": entity_id,
            "action": action,
            "actor": {"subject": principal.subject, "role": principal.role},
            "at": at,
            "before": _snapshot(before),
            "after": _snapshot(after),
        },
        session=session,
    )
