"""The roles of DOMAIN.md; a lane's name in a diagram is one of these."""

ROLES = (
    "account_officer",
    "surveyor",
    "credit_analyst",
    "approver",
    "operations",
    "collection",
    "supervisor",
    "integration",
    "process_owner",
    "auditor",
)
