"""GraphQL enums. Values are the codes stored in MongoDB, so conversion is by value."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Where a complaint is in its workflow.")
class ComplaintStatus(Enum):
    SUBMITTED = strawberry.enum_value("SUBMITTED", description="Diterima: filed, not yet checked by the agency.")
    VERIFIED = strawberry.enum_value("VERIFIED", description="Diverifikasi: accepted as valid and in scope.")
    IN_PROGRESS = strawberry.enum_value("IN_PROGRESS", description="Diproses: assigned and being worked on.")
    WAITING_FOR_REPORTER = strawberry.enum_value(
        "WAITING_FOR_REPORTER", description="Menunggu Pelapor: the agency needs information; the resolution clock is paused."
    )
    RESOLVED = strawberry.enum_value("RESOLVED", description="Selesai: the agency says it is done; the citizen may close, rate or reopen.")
    CLOSED = strawberry.enum_value("CLOSED", description="Ditutup: final.")
    REJECTED = strawberry.enum_value("REJECTED", description="Ditolak: out of scope, duplicate or invalid, with a reason.")


@strawberry.enum(description="A complaint's SLA state, computed when it is read.")
class SlaState(Enum):
    ON_TRACK = strawberry.enum_value("ON_TRACK", description="The running clock has not reached its first warning.")
    AT_RISK = strawberry.enum_value("AT_RISK", description="The running clock has reached its first warning.")
    BREACHED = strawberry.enum_value("BREACHED", description="A clock of the current cycles passed its due instant.")
    MET = strawberry.enum_value("MET", description="Both clocks stopped in time.")
    PAUSED = strawberry.enum_value("PAUSED", description="The resolution clock is paused while the agency waits for the reporter.")


@strawberry.enum(description="The unit of an SLA target.")
class SlaUnit(Enum):
    MINUTES = strawberry.enum_value("MINUTES", description="Minutes of calendar time, around the clock.")
    HOURS = strawberry.enum_value("HOURS", description="Hours of calendar time, around the clock.")
    DAYS = strawberry.enum_value("DAYS", description="Days of calendar time, around the clock.")
    WORKING_HOURS = strawberry.enum_value("WORKING_HOURS", description="Hours inside office hours on the policy's calendar.")
    WORKING_DAYS = strawberry.enum_value(
        "WORKING_DAYS", description="Working days on the calendar, ending at closing time; the start's own day never counts."
    )


@strawberry.enum(description="How a complaint reached the city.")
class Channel(Enum):
    WEB = strawberry.enum_value("WEB", description="The web application.")
    ANDROID = strawberry.enum_value("ANDROID", description="The Android application.")
    IOS = strawberry.enum_value("IOS", description="The iOS application.")
    CALL_CENTER = strawberry.enum_value("CALL_CENTER", description="Entered by the call centre on the citizen's behalf.")
    WALK_IN = strawberry.enum_value("WALK_IN", description="Entered at a service counter.")
    SOCIAL_MEDIA = strawberry.enum_value("SOCIAL_MEDIA", description="Taken from a social media post.")
    IMPORT = strawberry.enum_value("IMPORT", description="Loaded from another system's export.")
    OTHER = strawberry.enum_value("OTHER", description="Any other channel.")


@strawberry.enum(description="A channel notifications are sent on.")
class NotificationChannel(Enum):
    EMAIL = strawberry.enum_value("email", description="E-mail, as multipart text and HTML.")
    SMS = strawberry.enum_value("sms", description="SMS to an E.164 number.")


@strawberry.enum(description="The language of notifications.")
class Locale(Enum):
    ID = strawberry.enum_value("id", description="Bahasa Indonesia (the default).")
    EN = strawberry.enum_value("en", description="English.")


@strawberry.enum(description="The role of a signed-in user.")
class Role(Enum):
    CITIZEN = strawberry.enum_value("citizen", description="A citizen filing and following complaints.")
    OFFICER = strawberry.enum_value("officer", description="An agency's officer who works on complaints.")
    SUPERVISOR = strawberry.enum_value("supervisor", description="An agency's supervisor; receives breach alerts.")
    HEAD = strawberry.enum_value("head", description="The head of an agency; receives escalations.")
    ADMIN = strawberry.enum_value("admin", description="A city administrator; belongs to no agency.")


@strawberry.enum(description="What a timeline event records.")
class TimelineEventKind(Enum):
    SUBMITTED = strawberry.enum_value("submitted", description="The complaint was filed.")
    STATUS_CHANGED = strawberry.enum_value("status_changed", description="The status changed; see fromStatus and toStatus.")
    COMMENT = strawberry.enum_value("comment", description="A public reply, an internal note or the reporter's reply.")
    ASSIGNED = strawberry.enum_value("assigned", description="The complaint was assigned to an official.")
    TRANSFERRED = strawberry.enum_value("transferred", description="The complaint moved to another agency (bukan wewenang).")
    RATED = strawberry.enum_value("rated", description="The reporter rated the result.")
    OTHER = strawberry.enum_value("other", description="An event of a kind this version of the API does not name.")
