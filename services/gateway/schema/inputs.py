"""Input objects of queries and mutations."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from services.gateway.schema.types.enums import Channel, ComplaintStatus, Locale, NotificationChannel, Role, SlaState, SlaUnit


@strawberry.input(description="Where the problem is; every field is optional.")
class LocationInput:
    latitude: float | None = strawberry.field(default=None, description="Latitude, -90 to 90.")
    longitude: float | None = strawberry.field(default=None, description="Longitude, -180 to 180.")
    address: str | None = strawberry.field(default=None, description="Street address, at most 500 characters.")
    district: str | None = strawberry.field(default=None, description="District (kecamatan).")
    subdistrict: str | None = strawberry.field(default=None, description="Subdistrict (kelurahan).")


@strawberry.input(description="How the reporter wants to be notified.")
class NotificationPreferencesInput:
    channels: list[NotificationChannel] = strawberry.field(
        description="Channels to use; an empty list means no notifications. Channels without a known address are dropped."
    )
    locale: Locale | None = strawberry.field(default=None, description="Language; defaults to the request's Accept-Language.")


@strawberry.input(description="A new complaint.")
class SubmitComplaintInput:
    category_id: strawberry.ID = strawberry.field(description="Id of a ServiceCategory; it decides the handling agency.")
    title: str = strawberry.field(description="Short title, 5 to 200 characters.")
    description: str = strawberry.field(description="What is wrong, 10 to 5000 characters.")
    location: LocationInput | None = strawberry.field(default=None, description="Where the problem is.")
    channel: Channel | None = strawberry.field(default=None, description="How the complaint reached the city; WEB when omitted.")
    client_request_id: str | None = strawberry.field(
        default=None, description="An id the client makes per submission; a retry with the same id returns the first complaint."
    )
    notify: NotificationPreferencesInput | None = strawberry.field(
        default=None, description="Notification choices; by default every channel whose address the token gives."
    )


@strawberry.input(description="A workflow move.")
class TransitionComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description="Id of the complaint.")
    to_status: ComplaintStatus = strawberry.field(description="The status to move to.")
    note: str | None = strawberry.field(default=None, description="Why; required when rejecting. At most 2000 characters.")


@strawberry.input(description="A comment on a complaint.")
class AddComplaintCommentInput:
    complaint_id: strawberry.ID = strawberry.field(description="Id of the complaint.")
    body: str = strawberry.field(description="The text, 1 to 5000 characters.")
    internal: bool | None = strawberry.field(
        default=False, description="An internal note, seen by officials only; officials and administrators only."
    )


@strawberry.input(description="Assigning a complaint to an official of its agency.")
class AssignComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description="Id of the complaint.")
    assignee_id: strawberry.ID = strawberry.field(description="Id of an Official of the complaint's agency.")
    note: str | None = strawberry.field(default=None, description="Instructions for the assignee.")


@strawberry.input(description="Transferring a complaint to another agency (bukan wewenang).")
class TransferComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description="Id of the complaint.")
    agency_id: strawberry.ID = strawberry.field(description="Id of the receiving Agency.")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="A category of the receiving agency; without it the agency's default policy applies."
    )
    note: str = strawberry.field(description="Why the complaint is not this agency's authority.")


@strawberry.input(description="The reporter's rating of a resolved or closed complaint.")
class RateComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description="Id of the complaint.")
    score: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str | None = strawberry.field(default=None, description="Optional words, at most 1000 characters.")


@strawberry.input(description="An amount of time in a unit.")
class SlaTargetInput:
    amount: int = strawberry.field(description="How many units, at least 1.")
    unit: SlaUnit = strawberry.field(description="MINUTES, HOURS, DAYS, WORKING_HOURS or WORKING_DAYS.")


@strawberry.input(description="An escalation step after a breach.")
class EscalationStepInput:
    delay: SlaTargetInput = strawberry.field(description="Time after the breach, on the policy's calendar.")
    role: Role = strawberry.field(description="Who is alerted: HEAD, ADMIN, SUPERVISOR or OFFICER.")


@strawberry.input(description="A new version of an SLA policy; complaints already filed keep theirs.")
class PublishSlaPolicyInput:
    agency_id: strawberry.ID = strawberry.field(description="Id of the Agency.")
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of a ServiceCategory of that agency; omitted for the agency's default policy."
    )
    response_target: SlaTargetInput = strawberry.field(description="Time to the first official action.")
    resolution_target: SlaTargetInput = strawberry.field(description="Time to RESOLVED.")
    calendar_id: strawberry.ID | None = strawberry.field(
        default=None, description="Id of the Calendar; defaults to the previous version's, else office."
    )
    warn_at: list[float] | None = strawberry.field(
        default=None,
        description=(
            "Elapsed ratios that warn officials, each greater than 0 and less than 1; default 0.5, 0.75, 0.9. "
            "A warning is named by its whole percent (0.5 is warn-50), so two ratios that round to the same "
            "percent are rejected with DUPLICATE_WARN_AT."
        ),
    )
    escalation: list[EscalationStepInput] | None = strawberry.field(
        default=None,
        description=(
            "Steps after a breach, alerted in the order listed; default: head after 1 working day, admin after 3. "
            "All steps must use the same unit with strictly increasing amounts, so that their order holds whenever "
            "the breach happens. Mixed units can swap order: on the office calendar, 30 HOURS ends before "
            "1 WORKING_DAYS after a breach at 08:00 but after it for a breach at 15:00. Other steps are rejected "
            "with ESCALATION_UNITS_DIFFER or ESCALATION_NOT_INCREASING."
        ),
    )


@strawberry.input(description="Which complaints to list; all conditions must hold.")
class ComplaintFilter:
    status: list[ComplaintStatus] | None = strawberry.field(default=None, description="Any of these statuses.")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="Handled by this Agency.")
    category_id: strawberry.ID | None = strawberry.field(default=None, description="In this ServiceCategory.")
    sla_state: list[SlaState] | None = strawberry.field(default=None, description="In any of these SLA states, as of now.")
    district: str | None = strawberry.field(default=None, description="In this district (kecamatan), ignoring case.")
    submitted_from: datetime | None = strawberry.field(default=None, description="Submitted at or after this instant.")
    submitted_to: datetime | None = strawberry.field(default=None, description="Submitted before this instant.")
    search: str | None = strawberry.field(
        default=None, description="Words that must all appear in the title or description, ignoring case."
    )
    mine: bool | None = strawberry.field(default=False, description="Only complaints the caller filed.")
    assigned_to_me: bool | None = strawberry.field(default=False, description="Only complaints assigned to the caller.")


@strawberry.input(description="A new agency.")
class CreateAgencyInput:
    code: str = strawberry.field(description="Upper-case code, e.g. DISHUB.")
    name: str = strawberry.field(description="Official name.")
    timezone: str | None = strawberry.field(default=None, description="IANA timezone; the city's by default.")
    triage: bool | None = strawberry.field(default=False, description="Whether it sorts uncategorised complaints.")


@strawberry.input(description="Changes to an agency; omitted fields stay.")
class UpdateAgencyInput:
    agency_id: strawberry.ID = strawberry.field(description="Id of the Agency.")
    name: str | None = strawberry.field(default=None, description="New name.")
    timezone: str | None = strawberry.field(default=None, description="New IANA timezone.")
    active: bool | None = strawberry.field(default=None, description="Whether it is active.")


@strawberry.input(description="A new service category.")
class CreateServiceCategoryInput:
    code: str = strawberry.field(description="Lower-case code, e.g. lampu-jalan.")
    name: str = strawberry.field(description="Name shown to citizens.")
    agency_id: strawberry.ID = strawberry.field(description="Id of the handling Agency.")


@strawberry.input(description="Changes to a service category; omitted fields stay.")
class UpdateServiceCategoryInput:
    category_id: strawberry.ID = strawberry.field(description="Id of the ServiceCategory.")
    name: str | None = strawberry.field(default=None, description="New name.")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="New handling Agency; filed complaints stay.")
    active: bool | None = strawberry.field(default=None, description="Whether new complaints may be filed in it.")


@strawberry.input(description="Dates to make days off, or working days, on a calendar.")
class CalendarDaysOffInput:
    calendar_id: strawberry.ID = strawberry.field(description="Id of the Calendar.")
    dates: list[date] = strawberry.field(description="Local dates, ISO 8601 (YYYY-MM-DD), 1 to 366 of them.")


@strawberry.input(description="A new official or administrator.")
class CreateOfficialInput:
    subject: str = strawberry.field(description="The identity provider's subject (the token's sub claim).")
    name: str = strawberry.field(description="Full name.")
    role: Role = strawberry.field(description="OFFICER, SUPERVISOR, HEAD or ADMIN.")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="Id of the Agency; omitted for ADMIN.")
    email: str | None = strawberry.field(default=None, description="E-mail address for alerts.")
    phone: str | None = strawberry.field(default=None, description="Phone number for SMS alerts, e.g. 0812xxxxxxx.")
    notify: NotificationPreferencesInput | None = strawberry.field(default=None, description="Alert channels and language.")


@strawberry.input(description="Changes to an official; omitted fields stay.")
class UpdateOfficialInput:
    official_id: strawberry.ID = strawberry.field(description="Id of the Official.")
    name: str | None = strawberry.field(default=None, description="New name.")
    role: Role | None = strawberry.field(default=None, description="New role.")
    agency_id: strawberry.ID | None = strawberry.field(default=None, description="New Agency.")
    email: str | None = strawberry.field(default=None, description="New e-mail address.")
    phone: str | None = strawberry.field(default=None, description="New phone number.")
    notify: NotificationPreferencesInput | None = strawberry.field(default=None, description="New alert channels and language.")
    active: bool | None = strawberry.field(default=None, description="Whether the official is active and gets alerts.")
