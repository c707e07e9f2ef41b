"""Creating and updating catalogue documents together with their audit entry, in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.errors import DuplicateKeyError

from services.gateway.catalogue.audit import record_audit
from services.gateway.complaints.writes import run_in_transaction
from services.gateway.context import GatewayContext
from services.gateway.errors import UserInputError
from shared.timeutil import clock

log = logging.getLogger(__name__)


async def create_audited(
    ctx: GatewayContext, collection: str, entity: str, entity_id: str, doc: dict[str, Any], code_field: Sequence[str]
) -> dict[str, Any]:
    """Insert `doc` and its audit entry; a taken unique code becomes CODE_TAKEN on `code_field`."""
    principal = ctx.require_principal()
    now = clock.now()
    stored = {**doc, "createdAt": now, "updatedAt": now}

    async def work(session: AsyncClientSession) -> dict[str, Any]:
        await ctx.db[collection].insert_one(stored, session=session)
        await record_audit(ctx.db, principal, entity, entity_id, "create", None, stored, now, session=session)
        return stored

    try:
        saved: dict[str, Any] = await run_in_transaction(ctx.services, work)
    except DuplicateKeyError as exc:
        raise UserInputError("CODE_TAKEN", code_field, value=entity_id) from exc
    log.info("%s %s created by %s.", entity, entity_id, principal.subject, extra={"entity": entity, "entityId": entity_id})
    return saved


async def update_audited(
    ctx: GatewayContext,
    collection: str,
    entity: str,
    key: dict[str, Any],
    entity_id: str,
    update: dict[str, Any],
    action: str = "update",
) -> dict[str, Any]:
    """Apply `update` to the document matching `key` and log its values before and after."""
    principal = ctx.require_principal()
    now = clock.now()
    update = {**update, "$set": {**update.get("$set", {}), "updatedAt": now}}

    async def work(session: AsyncClientSession) -> dict[str, Any] | None:
        before = await ctx.db[collection].find_one(key, session=session)
        if before is None:
            return None
        after = await ctx.db[collection].find_one_and_update(key, update, return_document=ReturnDocument.AFTER, session=session)
        await record_audit(ctx.db, principal, entity, entity_id, action, before, after, now, session=session)
        return after

    saved: dict[str, Any] | None = await run_in_transaction(ctx.services, work)
    if saved is None:
        raise UserInputError("NOT_FOUND", ["input", "id"], what=entity)
    log.info("%s %s changed by %s (%s).", entity, entity_id, principal.subject, action, extra={"entity": entity, "entityId": entity_id})
    return saved
