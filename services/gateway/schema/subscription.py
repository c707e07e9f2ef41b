"""The Subscription root: a complaint's updates over graphql-transport-ws."""

from __future__ import annotations

from typing import Annotated
import logging
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from services.gateway.complaints.access import view_level
from services.gateway.realtime import ComplaintWatch
from services.gateway.schema.ids import object_id
from services.gateway.schema.permissions import CanViewComplaint
from services.gateway.schema.types.complaint import Complaint

log = logging.getLogger(__name__)


@strawberry.type(description="Real-time updates, over graphql-transport-ws at /graphql.")
class Subscription:
    @strawberry.subscription(
        description=(
            "The complaint each time it changes, under the same access rules as Query.complaint. "
            "The stream ends when the caller may no longer see the complaint, e.g. after a transfer."
        ),
        permission_classes=[CanViewComplaint],
    )
    async def complaint_updated(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The complaint's global id.")]
    ) -> AsyncGenerator[Complaint, None]:
        context = info.context
        watch = ComplaintWatch(context.db, object_id(id, "Complaint"), recheck_seconds=context.settings.subscription_recheck_seconds)
        gauge = context.services.metrics.subscriptions
        gauge.inc()
        try:
            async for doc in watch.updates():
                if view_level(context.principal, doc) is None:
                    log.info("Ended a subscription to complaint %s: the caller may no longer see it.", doc["_id"])
                    return
                context.reset_loaders()
                yield Complaint(complaint_doc=doc)
        finally:
            gauge.dec()
