"""Mutations on complaints: submit, move, comment, assign, transfer and rate."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from services.gateway.complaints.comments import add_comment
from services.gateway.complaints.handling import assign_complaint, rate_complaint, transfer_complaint
from services.gateway.complaints.submit import NewComplaint, submit_complaint
from services.gateway.complaints.transition import transition_complaint
from services.gateway.schema.ids import node_key
from services.gateway.schema.inputs import (
    AddComplaintCommentInput,
    AssignComplaintInput,
    RateComplaintInput,
    SubmitComplaintInput,
    TransferComplaintInput,
    TransitionComplaintInput,
)
from services.gateway.schema.mutations.outcome import attempt
from services.gateway.schema.permissions import (
    CanActOnComplaint,
    CanAssignTo,
    CanHandleComplaint,
    CanWriteInternalNote,
    IsCitizen,
    IsComplaintReporter,
    complaint_of_input,
)
from services.gateway.schema.types.complaint import Complaint
from services.gateway.schema.types.errors import UserError
from shared.workflow import ComplaintStatus as WorkflowStatus


@strawberry.type(description="The result of submitComplaint.")
class SubmitComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint filed, or the first one for a retried clientRequestId.")
    errors: list[UserError] = strawberry.field(description="Why nothing was filed; empty on success.")


@strawberry.type(description="The result of transitionComplaint.")
class TransitionComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint after the move.")
    errors: list[UserError] = strawberry.field(description="Why the move was rejected; empty on success.")


@strawberry.type(description="The result of addComplaintComment.")
class AddComplaintCommentPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint with the new comment in its timeline.")
    errors: list[UserError] = strawberry.field(description="Why the comment was rejected; empty on success.")


@strawberry.type(description="The result of assignComplaint.")
class AssignComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint with its new assignee.")
    errors: list[UserError] = strawberry.field(description="Why the assignment was rejected; empty on success.")


@strawberry.type(description="The result of transferComplaint.")
class TransferComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint at its new agency, with restarted clocks.")
    errors: list[UserError] = strawberry.field(description="Why the transfer was rejected; empty on success.")


@strawberry.type(description="The result of rateComplaint.")
class RateComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint with its rating.")
    errors: list[UserError] = strawberry.field(description="Why the rating was rejected; empty on success.")


def _node(doc: dict[str, Any] | None) -> Complaint | None:
    return Complaint(complaint_doc=doc) if doc is not None else None


@strawberry.type
class ComplaintMutations:
    @strawberry.mutation(
        description="File a complaint (citizens only). The response carries its ticket number and SLA due dates.",
        permission_classes=[IsCitizen],
    )
    async def submit_complaint(self, info: Info, input: Annotated[SubmitComplaintInput, strawberry.argument(description="What to do; see the input type.")]) -> SubmitComplaintPayload:
        submission = NewComplaint(
            category_code=node_key(input.category_id, "ServiceCategory"),
            title=input.title,
            description=input.description,
            location=vars(input.location) if input.location else None,
            channel=input.channel.value if input.channel else "WEB",
            client_request_id=input.client_request_id,
            channels=[c.value for c in input.notify.channels] if input.notify else None,
            locale=input.notify.locale.value if input.notify and input.notify.locale else None,
        )
        doc, errors = await attempt(info, submit_complaint(info.context, submission))
        return SubmitComplaintPayload(complaint=_node(doc), errors=errors)

    @strawberry.mutation(
        description=(
            "Move a complaint to another status, as the workflow allows the caller's role. "
            "The reporter confirms (CLOSED) or reopens (IN_PROGRESS) a resolved complaint with it."
        ),
        permission_classes=[CanActOnComplaint],
    )
    async def transition_complaint(self, info: Info, input: Annotated[TransitionComplaintInput, strawberry.argument(description="What to do; see the input type.")]) -> TransitionComplaintPayload:
        complaint = await complaint_of_input(info, {"input": input})
        target = WorkflowStatus(input.to_status.value)
        doc, errors = await attempt(info, transition_complaint(info.context, complaint, target, input.note))
        return TransitionComplaintPayload(complaint=_node(doc), errors=errors)

    @strawberry.mutation(
        description=(
            "Comment on a complaint. An official's public reply counts as the response; the reporter's reply "
            "to a request for information resumes the clock."
        ),
        permission_classes=[CanActOnComplaint, CanWriteInternalNote],
    )
    async def add_complaint_comment(self, info: Info, input: Annotated[AddComplaintCommentInput, strawberry.argument(description="What to do; see the input type.")]) -> AddComplaintCommentPayload:
        complaint = await complaint_of_input(info, {"input": input})
        doc, errors = await attempt(info, add_comment(info.context, complaint, input.body, bool(input.internal)))
        return AddComplaintCommentPayload(complaint=_node(doc), errors=errors)

    @strawberry.mutation(
        description="Assign a complaint to an official of its agency; an officer may only take it themselves.",
        permission_classes=[CanHandleComplaint, CanAssignTo],
    )
    async def assign_complaint(self, info: Info, input: Annotated[AssignComplaintInput, strawberry.argument(description="What to do; see the input type.")]) -> AssignComplaintPayload:
        complaint = await complaint_of_input(info, {"input": input})
        assignee = node_key(input.assignee_id, "Official")
        doc, errors = await attempt(info, assign_complaint(info.context, complaint, assignee, input.note))
        return AssignComplaintPayload(complaint=_node(doc), errors=errors)

    @strawberry.mutation(
        description="Transfer a complaint to another agency (bukan wewenang); both clocks restart under its policy.",
        permission_classes=[CanHandleComplaint],
    )
    async def transfer_complaint(self, info: Info, input: Annotated[TransferComplaintInput, strawberry.argument(description="What to do; see the input type.")]) -> TransferComplaintPayload:
        complaint = await complaint_of_input(info, {"input": input})
        agency = node_key(input.agency_id, "Agency")
        category = node_key(input.category_id, "ServiceCategory") if input.category_id else None
        doc, errors = await attempt(info, transfer_complaint(info.context, complaint, agency, category, input.note))
        return TransferComplaintPayload(complaint=_node(doc), errors=errors)

    @strawberry.mutation(
        description="Rate a resolved or closed complaint, once (the reporter only).",
        permission_classes=[IsComplaintReporter],
    )
    async def rate_complaint(self, info: Info, input: Annotated[RateComplaintInput, strawberry.argument(description="What to do; see the input type.")]) -> RateComplaintPayload:
        complaint = await complaint_of_input(info, {"input": input})
        doc, errors = await attempt(info, rate_complaint(info.context, complaint, input.score, input.comment))
        return RateComplaintPayload(complaint=_node(doc), errors=errors)
