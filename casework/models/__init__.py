"""The data model: one module per aggregate. Data only; the rules live in workflows/
and the use cases in services/."""

from . import (
                         audit_guard,  # noqa: F401  (registers the append-only guards)
                         reference,  # noqa: F401  (registers the reference counter's triggers)
)
from .attachment import Attachment
from .calendar import CalendarDay, CalendarYear, DataVersion
from .callback import Callback, EvaluationExclusion
from .case import Case, CaseEvent, CaseNumberSequence
from .case_public import CasePublication, CaseRating
from .catalogue import CatalogueEntry, CatalogueVersion
from .co_handling import CoUnit, Dispute
from .draft import ReplyDraft
from .inspection import (
                         AccountStatusChange,
                         Finding,
                         FindingCategory,
                         InspectionRound,
                         NewMediaAccount,
                         RoundMember,
                         VerdictOverride,
)
from .knowledge import KnowledgeEntry, KnowledgeVersion, SearchDoc, SynonymGroup
from .notification import Delivery, EmailOptOut, Notification
from .policy import DeadlineRule
from .public_name import PublicName
from .publication import Notice, PublishedStats, RoundPublication
from .reply import ImproperPhrase, Reply, Review
from .reply_template import ReplyTemplate
from .site import Website, WebsiteStatusChange
from .token import ApiToken
from .unit import Unit
from .user import User
from .user_event import UserEvent

__all__ = [
    "AccountStatusChange", "Finding", "FindingCategory", "InspectionRound", "NewMediaAccount",
    "VerdictOverride", "RoundMember", "ApiToken", "ImproperPhrase", "PublicName", "PublishedStats", "RoundPublication", "Notice", "Attachment", "Delivery", "Notification", "ReplyDraft", "CalendarDay", "CalendarYear", "DataVersion", "Case", "CaseEvent", "CasePublication", "CaseRating", "CaseNumberSequence", "DeadlineRule",
    "Reply", "ReplyTemplate", "Review", "Unit", "User", "UserEvent", "Website", "WebsiteStatusChange",
    "Callback", "EvaluationExclusion", "CatalogueEntry", "CatalogueVersion",
    "KnowledgeEntry", "KnowledgeVersion", "SearchDoc", "SynonymGroup", "CoUnit", "Dispute", "EmailOptOut",
]
