"""Database models, by domain. Import from here: `from engage.models import Survey`."""

from engage.models.municipality import Municipality
from engage.models.response import Answer, Response
from engage.models.survey import Question, Survey
from engage.models.theme import AnswerTheme, Theme
from engage.models.user import User

__all__ = [
    "Answer",
    "AnswerTheme",
    "Municipality",
    "Question",
    "Response",
    "Survey",
    "Theme",
    "User",
]
