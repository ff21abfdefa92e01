"""aecore — the account-service model of an advertising agency.

An embeddable C++ core with Python bindings: exact money, the agency's business
calendar, staff and policy, and the Agency aggregate root that owns the whole book
and saves it as one deterministic JSON document.

    >>> import aecore
    >>> agency = aecore.Agency(name="Sunrise Advertising", home_city="SH", currency="CNY")
    >>> ad = agency.add_staff("Chen Jing", aecore.Title.AD, hourly_rate=aecore.Money("600", "CNY"))
    >>> aecore.Money("0.10", "CNY") + aecore.Money("0.20", "CNY")
    Money('0.30', 'CNY')

Errors are aecore.Error subclasses that also derive from the matching built-in
(ValidationError is a ValueError, NotFoundError a KeyError, StateError a RuntimeError,
SchemaError a ValueError, IoError an OSError) and carry ``rule``, ``field``, ``value``
and ``detail`` attributes.
"""

from __future__ import annotations

import sys as _sys

try:
    from . import _core
except ImportError as _exc:  # pragma: no cover - exercised only on a broken install
    raise ImportError(
        "aecore's compiled extension aecore._core could not be imported "
        f"({_exc}). It is built for one Python version: this is Python "
        f"{_sys.version_info.major}.{_sys.version_info.minor} at {_sys.executable}. "
        "Reinstall aecore into this environment with `pip install .` from the source tree."
    ) from _exc

from ._core import (
    SCHEMA_NAME,
    SCHEMA_VERSION,
    AccountTeam,
    Activity,
    ActivityKind,
    Agency,
    AgingBasis,
    AgingBuckets,
    AgingReport,
    AgingRow,
    Brand,
    Brief,
    BusinessCalendar,
    Client,
    CollectionItem,
    CompetitorPrice,
    Contact,
    ContactReport,
    Contract,
    CostEstimate,
    CreditStatus,
    DecisionRole,
    Deliverable,
    DeliveryMetrics,
    Department,
    EntryKind,
    Error,
    Escalation,
    EstimateStatus,
    Finding,
    HandoverStatement,
    IoError,
    JobTicket,
    JobType,
    LeadTimeOverride,
    LedgerEntry,
    LedgerFlows,
    LifeCycleStage,
    MarketType,
    MarketingPlan,
    Measurement,
    MeetingNotice,
    MixBudget,
    MixElement,
    Money,
    NotFoundError,
    Objective,
    ObjectiveKind,
    OpenItem,
    OverdueContact,
    OverspendPolicy,
    PaymentTerms,
    PipelineStage,
    PlaceSection,
    PlanFinding,
    PlanStatus,
    PlanTransition,
    Policy,
    PricePositioning,
    PriceSection,
    ProductSection,
    Profitability,
    PromotionObjective,
    PromotionSection,
    ReconciliationReport,
    ReconciliationRow,
    ReportKind,
    SchemaError,
    Severity,
    Staff,
    StageChange,
    StateError,
    StatusReport,
    Strategy,
    TeamAssignment,
    TicketKind,
    TicketStatus,
    TicketTransition,
    Tier,
    TierAssignment,
    TimeEntry,
    TimeStatus,
    Title,
    ValidationError,
    VisitOwner,
    Weekday,
    WeeklyStatus,
    WeeklyTicketRow,
    currencies,
    department_code,
    title_rank,
)
from . import _sugar as _sugar  # installs reprs, HTML views and DataFrame helpers
from . import ledger as _ledger  # the money reports' reprs, DataFrames and plots
from .audit import AuditReport, PlanReview
from .samples import sample_agency, sample_billings

__version__: str = _core.__version__

__all__ = [
    "AccountTeam",
    "Activity",
    "ActivityKind",
    "Agency",
    "AgingBasis",
    "AgingBuckets",
    "AgingReport",
    "AgingRow",
    "AuditReport",
    "Brand",
    "Brief",
    "BusinessCalendar",
    "Client",
    "CollectionItem",
    "CompetitorPrice",
    "Contact",
    "ContactReport",
    "Contract",
    "CostEstimate",
    "CreditStatus",
    "DecisionRole",
    "Deliverable",
    "DeliveryMetrics",
    "Department",
    "EntryKind",
    "Error",
    "Escalation",
    "EstimateStatus",
    "Finding",
    "HandoverStatement",
    "IoError",
    "JobTicket",
    "JobType",
    "LeadTimeOverride",
    "LedgerEntry",
    "LedgerFlows",
    "LifeCycleStage",
    "MarketType",
    "MarketingPlan",
    "Measurement",
    "MeetingNotice",
    "MixBudget",
    "MixElement",
    "Money",
    "NotFoundError",
    "Objective",
    "ObjectiveKind",
    "OpenItem",
    "OverdueContact",
    "OverspendPolicy",
    "PaymentTerms",
    "PipelineStage",
    "PlaceSection",
    "PlanFinding",
    "PlanReview",
    "PlanStatus",
    "PlanTransition",
    "Policy",
    "PricePositioning",
    "PriceSection",
    "ProductSection",
    "Profitability",
    "PromotionObjective",
    "PromotionSection",
    "ReconciliationReport",
    "ReconciliationRow",
    "ReportKind",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "SchemaError",
    "Severity",
    "Staff",
    "StageChange",
    "StateError",
    "StatusReport",
    "Strategy",
    "TeamAssignment",
    "TicketKind",
    "TicketStatus",
    "TicketTransition",
    "Tier",
    "TierAssignment",
    "TimeEntry",
    "TimeStatus",
    "Title",
    "ValidationError",
    "VisitOwner",
    "Weekday",
    "WeeklyStatus",
    "WeeklyTicketRow",
    "__version__",
    "currencies",
    "department_code",
    "sample_agency",
    "sample_billings",
    "title_rank",
]


def __dir__() -> list[str]:
    return sorted(__all__)
