"""ORM models, one module per concept. Importing this package registers every table."""

from ila_register.db.models.auth import ApiToken, DashboardSession, ServerKey
from ila_register.db.models.eligibility import EligibilityEvent, OfferEligibility
from ila_register.db.models.idempotency import IdempotencyRecord
from ila_register.db.models.imports import ImportJob, ImportProblem, ImportSeen, ImportWithdrawal
from ila_register.db.models.offers import OfferRecord, OfferSessionRecord, OfferVersion
from ila_register.db.models.outbox import ConsumerLease, OutboxEvent
from ila_register.db.models.providers import ProviderRecord
from ila_register.db.models.publication import ConsumerPosition, ElmFeedEvent, ElmPublication

__all__ = [
    "ApiToken",
    "ConsumerLease",
    "ConsumerPosition",
    "DashboardSession",
    "EligibilityEvent",
    "ElmFeedEvent",
    "ElmPublication",
    "IdempotencyRecord",
    "ImportJob",
    "ImportProblem",
    "ImportSeen",
    "ImportWithdrawal",
    "OfferEligibility",
    "OfferRecord",
    "OfferSessionRecord",
    "OfferVersion",
    "OutboxEvent",
    "ProviderRecord",
    "ServerKey",
]
