"""Database models, by domain. Import from here: `from engage.models import Survey`."""

from engage.models.municipality import Municipality
from engage.models.response import Answer, Response
from engage.models.strategy import (
    DraftSection,
    DraftSectionVersion,
    EvidenceBlock,
    StrategyDraft,
    ThemeCandidate,
)
from engage.models.survey import Question, Survey
from engage.models.theme import AnswerTheme, Theme
from engage.models.user import User
from engage.models.workspace import AuditEvent, Job, SummarySnapshot

__all__ = [
    "Answer",
    "AuditEvent",
    "DraftSection",
    "DraftSectionVersion",
    "EvidenceBlock",
    "StrategyDraft",
    "ThemeCandidate",
    "Job",
    "SummarySnapshot",
    "AnswerTheme",
    "Municipality",
    "Question",
    "Response",
    "Survey",
    "Theme",
    "User",
]
