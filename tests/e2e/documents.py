"""GraphQL documents the end-to-end story sends, as a front end would write them."""

COMPLAINT_FIELDS = """
fragment ComplaintFields on Complaint {
  id ticketNumber status submittedAt resolvedAt closedAt autoCloseAt
  rating { score comment }
  slaPolicy { id version }
  sla {
    responseDueAt resolutionDueAt state elapsedRatio
    response { dueAt stoppedAt outcome met }
    resolution { dueAt stoppedAt outcome met }
  }
}
"""

USER_ERRORS = "errors { field code message }"

CATALOGUE = """
query Catalogue {
  agencies { id code }
  serviceCategories { id code agency { code } }
  calendars { id code }
}
"""

OFFICIALS = """
query Officials($agencyId: ID!) {
  officials(agencyId: $agencyId) { subject role active email phone }
}
"""

PUBLISH_POLICY = f"""
mutation Publish($input: PublishSlaPolicyInput!) {{
  publishSlaPolicy(input: $input) {{
    policy {{
      id version warnAt
      calendar {{ code }}
      responseTarget {{ amount unit }}
      resolutionTarget {{ amount unit }}
      escalation {{ role delay {{ amount unit }} }}
    }}
    {USER_ERRORS}
  }}
}}
"""

SLA_ESTIMATE = """
query Estimate($categoryId: ID!) {
  slaEstimate(categoryId: $categoryId) { responseDueAt resolutionDueAt policy { id version } }
}
"""

SUBMIT = f"""
mutation Submit($input: SubmitComplaintInput!) {{
  submitComplaint(input: $input) {{ complaint {{ ...ComplaintFields }} {USER_ERRORS} }}
}}
{COMPLAINT_FIELDS}
"""

COMPLAINT = f"""
query Complaint($id: ID!) {{
  complaint(id: $id) {{ ...ComplaintFields }}
}}
{COMPLAINT_FIELDS}
"""

NOTIFICATIONS = """
query Notifications($id: ID!) {
  complaint(id: $id) {
    notifications { id event audience channel address status attemptCount lastError }
  }
}
"""

TRANSITION = f"""
mutation Transition($input: TransitionComplaintInput!) {{
  transitionComplaint(input: $input) {{ complaint {{ ...ComplaintFields }} {USER_ERRORS} }}
}}
{COMPLAINT_FIELDS}
"""

RATE = f"""
mutation Rate($input: RateComplaintInput!) {{
  rateComplaint(input: $input) {{ complaint {{ ...ComplaintFields }} {USER_ERRORS} }}
}}
{COMPLAINT_FIELDS}
"""

LATEST_EVENT = """
query LatestEvent($id: ID!) {
  complaint(id: $id) { timeline(last: 1) { kind actorRole fromStatus toStatus note } }
}
"""
