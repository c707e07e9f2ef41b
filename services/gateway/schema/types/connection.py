"""The Relay cursor connection of complaints."""

from __future__ import annotations

import strawberry
from strawberry import relay

from services.gateway.schema.types.complaint import Complaint


@strawberry.type(description="One complaint of a page, with the cursor to continue after it.")
class ComplaintEdge:
    cursor: str = strawberry.field(description="Pass as `after` to get the complaints after this one.")
    node: Complaint = strawberry.field(description="The complaint.")


@strawberry.type(description="A page of complaints, newest first, with stable cursors.")
class ComplaintConnection:
    edges: list[ComplaintEdge] = strawberry.field(description="The complaints of this page, each with its cursor.")
    page_info: relay.PageInfo = strawberry.field(description="Whether more pages exist, and the cursors of this one.")

    @strawberry.field(description="The complaints of this page, without cursors.")
    def nodes(self) -> list[Complaint]:
        return [edge.node for edge in self.edges]
