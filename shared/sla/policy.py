"""The SLA policy a complaint was filed under, kept on the complaint as a snapshot.

Publishing a new policy version never changes a snapshot, so complaints
already filed keep their targets, warnings and escalation steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.sla.targets import SlaTarget, SlaUnit

DEFAULT_WARN_AT: tuple[float, ...] = (0.5, 0.75, 0.9)


@dataclass(frozen=True)
class EscalationStep:
    """Alert `role` once `delay` has passed since the breach, on the policy's calendar."""

    delay: SlaTarget
    role: str

    def to_doc(self) -> dict[str, Any]:
        return {"delay": self.delay.to_doc(), "role": self.role}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> EscalationStep:
        return cls(delay=SlaTarget.from_doc(doc["delay"]), role=doc["role"])


DEFAULT_ESCALATION: tuple[EscalationStep, ...] = (
    EscalationStep(SlaTarget(1, SlaUnit.WORKING_DAYS), "head"),
    EscalationStep(SlaTarget(3, SlaUnit.WORKING_DAYS), "admin"),
)


@dataclass(frozen=True)
class PolicySnapshot:
    """One version of an agency's (or a category's) SLA policy."""

    policy_id: str
    version: int
    agency_code: str
    category_code: str | None
    response: SlaTarget
    resolution: SlaTarget
    calendar_code: str
    warn_at: tuple[float, ...] = DEFAULT_WARN_AT
    escalation: tuple[EscalationStep, ...] = field(default=DEFAULT_ESCALATION)

    def __post_init__(self) -> None:
        for ratio in self.warn_at:
            if not 0 < ratio < 1:
                raise ValueError(f"warnAt ratio {ratio} is invalid; use values between 0 and 1, such as 0.5")

    def target(self, clock_kind: str) -> SlaTarget:
        return self.response if clock_kind == "response" else self.resolution

    def to_doc(self) -> dict[str, Any]:
        return {
            "policyId": self.policy_id,
            "version": self.version,
            "agencyCode": self.agency_code,
            "categoryCode": self.category_code,
            "responseTarget": self.response.to_doc(),
            "resolutionTarget": self.resolution.to_doc(),
            "calendarCode": self.calendar_code,
            "warnAt": list(self.warn_at),
            "escalation": [step.to_doc() for step in self.escalation],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> PolicySnapshot:
        """Build a snapshot from a stored policy; a missing `warnAt` or `escalation` means the defaults.

        An explicit empty `escalation` list means a policy without escalation steps.
        """
        steps = doc.get("escalation")
        escalation = DEFAULT_ESCALATION if steps is None else tuple(EscalationStep.from_doc(s) for s in steps)
        return cls(
            policy_id=str(doc["policyId"]),
            version=int(doc["version"]),
            agency_code=doc["agencyCode"],
            category_code=doc.get("categoryCode"),
            response=SlaTarget.from_doc(doc["responseTarget"]),
            resolution=SlaTarget.from_doc(doc["resolutionTarget"]),
            calendar_code=doc["calendarCode"],
            warn_at=tuple(sorted(set(float(r) for r in doc.get("warnAt", DEFAULT_WARN_AT)))),
            escalation=escalation,
        )
