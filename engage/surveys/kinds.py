"""The question-kind registry: how each kind of question becomes a form field, a stored value
and a readable answer. Add a kind by subclassing `QuestionKind` and decorating it with `register`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation

from engage.core.i18n import pick
from engage.core.limits import clean_text
from engage.models import Question

KINDS: dict[str, QuestionKind] = {}

MSG_REQUIRED = _l("Please answer this question.")
MSG_CHOICE = _l("Choose one of the options shown.")
MSG_TOO_LONG = _l("Your answer is too long: at most %(max)d characters.")

#: The partner municipalities offered by the municipality question, plus "other".
PARTNER_SLUGS = (
    "albertslund", "egedal", "fredensborg", "frederiksberg", "gentofte", "gladsaxe",
    "helsingor", "hoje-taastrup", "kobenhavn", "vallensbaek", "bornholm", "tarnby",
)
STAKEHOLDER_TYPES = {
    "citizen": _l("Citizen"),
    "business": _l("Business"),
    "university": _l("University or research"),
    "organisation": _l("Organisation or association"),
    "municipal_employee": _l("Municipal employee"),
    "other": _l("Other"),
}
LIKERT_LABELS = {
    "1": _l("Strongly disagree"),
    "2": _l("Disagree"),
    "3": _l("Neither agree nor disagree"),
    "4": _l("Agree"),
    "5": _l("Strongly agree"),
}


#: Whole numbers as people type them in our fields: ASCII digits only (`int()` also takes "١" or
#: "²"-like digits, and raises on thousands of digits), at most nine of them.
_INTEGER = re.compile(r"-?[0-9]{1,9}")


def parse_int(value: Any) -> int | None:
    """Return `value` as an int when it is a plain whole number ("3", "-2"), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def register(cls: type[QuestionKind]) -> type[QuestionKind]:
    """Add a question kind to the registry under its `name`."""
    KINDS[cls.name] = cls()
    return cls


def kind_of(question: Question) -> QuestionKind:
    """Return the registered kind of `question`."""
    return KINDS[question.kind]


class ChoiceMixin:
    """Choice fields that say, in the page's language, when a value is not one of the options."""

    def pre_validate(self, form: Any) -> None:
        values = self.data if isinstance(self.data, list) else [self.data]
        allowed = {str(choice.value) for choice in self.choices}
        for value in values:
            if value not in (None, "") and str(value) not in allowed:
                raise StopValidation(MSG_CHOICE)


class ChoiceRadioField(ChoiceMixin, RadioField):
    """Radio buttons with a translated unknown-choice message."""

    def pre_validate(self, form: Any) -> None:
        ChoiceMixin.pre_validate(self, form)


class ChoiceSelectField(ChoiceMixin, SelectField):
    """A drop-down with a translated unknown-choice message."""

    def pre_validate(self, form: Any) -> None:
        ChoiceMixin.pre_validate(self, form)


class CheckboxesField(ChoiceMixin, SelectMultipleField):
    """Several check boxes; the template renders them as a fieldset."""

    def pre_validate(self, form: Any) -> None:
        ChoiceMixin.pre_validate(self, form)


class RankingField(Field):
    """One rank (1…n) per option, each chosen in its own labelled drop-down: works without
    JavaScript and with a screen reader. `data` is the list of option keys, best first."""

    def __init__(self, label: str = "", validators: Any = None, options: Any = (), **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.options = list(options)  # [(key, label)]
        self.ranks: dict[str, str] = {}

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.ranks = {}
        if formdata is not None and any(f"{self.name}-{key}" in formdata for key, _ in self.options):
            self.ranks = {key: formdata.get(f"{self.name}-{key}", "") for key, _ in self.options}
        elif isinstance(data, list):
            self.ranks = {key: str(i + 1) for i, key in enumerate(data)}
        self.data = self._ordered()

    def _ordered(self) -> list[str] | None:
        if not any(self.ranks.values()):
            return None
        if any(parse_int(rank) is None for rank in self.ranks.values()):
            return None
        ranked = sorted(self.ranks.items(), key=lambda kv: parse_int(kv[1]))
        return [key for key, _ in ranked]

    def pre_validate(self, form: Any) -> None:
        given = [v for v in self.ranks.values() if v]
        if not given:
            return
        n = len(self.options)
        if any(not 1 <= (parse_int(v) or 0) <= n for v in given):
            raise StopValidation(MSG_CHOICE)
        if len(given) != n:
            raise StopValidation(_l("Give every option a place, from 1 to %(n)d.", n=n))
        if len(set(given)) != n:
            raise StopValidation(_l("Each place can only be used once."))

    def _value(self) -> str:
        return ""


class ConsentField(BooleanField):
    """A check box that is ticked only by the value a browser sends for it ("y") or a plain yes;
    "0", "no", "nej" or anything else means no."""

    TRUE_VALUES = frozenset({"y", "yes", "on", "true", "1", "ja"})

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = bool(valuelist) and str(valuelist[0]).strip().lower() in self.TRUE_VALUES


class RequiredIfChosen:
    """A validator that fails unless the field has data; the translated message says so."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        if field.data in (None, "", [], False):
            field.errors[:] = []
            raise StopValidation(MSG_REQUIRED)


def as_choices(pairs: list[tuple[str, Any]]) -> list[SelectChoice]:
    """Return WTForms choices for (value, label) pairs."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def _options(question: Question, lang: str) -> list[tuple[str, str]]:
    return [(o["key"], o.get(lang) or o.get("da") or o.get("en") or o["key"]) for o in question.options]


def _presence(question: Question) -> list[Callable[..., None]]:
    return [RequiredIfChosen()] if question.is_required else [Optional()]


class QuestionKind:
    """Base class: a kind knows its field, its stored value and how to show an answer."""

    name: ClassVar[str] = ""
    #: Free-text kinds are redacted and analysed; their value is stored in `Answer.text`.
    is_free_text: ClassVar[bool] = False
    #: Template macro that renders the field (see surveys/_fields.html).
    widget: ClassVar[str] = "radios"

    def field(self, question: Question, lang: str) -> Field:
        """Return an unbound WTForms field for `question`."""
        raise NotImplementedError

    def value(self, data: Any) -> Any:
        """Return the JSON value to store for the field's `data` (None when unanswered)."""
        return data if data not in ("", [], None) else None

    def form_data(self, value: Any) -> Any:
        """Return the field data for a stored value (to refill a form)."""
        return value

    def display(self, question: Question, value: Any, lang: str) -> str:
        """Return the answer as a person reads it."""
        labels = dict(_options(question, lang))
        if isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) for v in value)
        return labels.get(str(value), str(value)) if value is not None else ""


@register
class SingleChoice(QuestionKind):
    name = "single_choice"

    def field(self, question: Question, lang: str) -> Field:
        return ChoiceRadioField(choices=as_choices(_options(question, lang)), validators=_presence(question))


@register
class MultiChoice(QuestionKind):
    name = "multi_choice"
    widget = "checkboxes"

    def field(self, question: Question, lang: str) -> Field:
        return CheckboxesField(choices=as_choices(_options(question, lang)), validators=_presence(question))


@register
class Likert(QuestionKind):
    """A five-point agreement scale with every point labelled."""

    name = "likert"

    def field(self, question: Question, lang: str) -> Field:
        return ChoiceRadioField(
            choices=as_choices(list(LIKERT_LABELS.items())), validators=_presence(question)
        )

    def value(self, data: Any) -> Any:
        return parse_int(data)

    def form_data(self, value: Any) -> Any:
        return str(value) if value is not None else None

    def display(self, question: Question, value: Any, lang: str) -> str:
        return str(LIKERT_LABELS.get(str(value), "")) if value is not None else ""


@register
class Scale(QuestionKind):
    """A numeric scale (default 0–10); the end points carry labels from the question's settings."""

    name = "scale"
    widget = "scale"

    def field(self, question: Question, lang: str) -> Field:
        low, high = self.bounds(question)
        choices = [(str(n), str(n)) for n in range(low, high + 1)]
        return ChoiceRadioField(choices=as_choices(choices), validators=_presence(question))

    @staticmethod
    def bounds(question: Question) -> tuple[int, int]:
        """Return the scale's (min, max)."""
        settings = question.settings or {}
        return int(settings.get("min", 0)), int(settings.get("max", 10))

    def value(self, data: Any) -> Any:
        return parse_int(data)

    def form_data(self, value: Any) -> Any:
        return str(value) if value is not None else None

    def display(self, question: Question, value: Any, lang: str) -> str:
        low, high = self.bounds(question)
        return f"{value} / {high}" if value is not None else ""


@register
class Ranking(QuestionKind):
    name = "ranking"
    widget = "ranking"

    def field(self, question: Question, lang: str) -> Field:
        return RankingField(options=_options(question, lang), validators=_presence(question))

    def display(self, question: Question, value: Any, lang: str) -> str:
        labels = dict(_options(question, lang))
        return "; ".join(f"{i}. {labels.get(k, k)}" for i, k in enumerate(value or [], start=1))


class FreeText(QuestionKind):
    """Free text, redacted before it is stored."""

    is_free_text = True
    default_limit_key = "MAX_LONG_TEXT"

    def limit(self, question: Question) -> int:
        """Return the maximum length in characters."""
        settings = question.settings or {}
        return int(settings.get("max_length") or current_app.config[self.default_limit_key])

    def validators(self, question: Question) -> list[Callable[..., None]]:
        limit = self.limit(question)
        return [*_presence(question), Length(max=limit, message=MSG_TOO_LONG % {"max": limit})]

    def value(self, data: Any) -> Any:
        text = clean_text(data or "").strip()
        return text or None

    def display(self, question: Question, value: Any, lang: str) -> str:
        return value or ""


@register
class ShortText(FreeText):
    name = "short_text"
    widget = "input"
    default_limit_key = "MAX_SHORT_TEXT"

    def field(self, question: Question, lang: str) -> Field:
        return StringField(validators=self.validators(question))


@register
class LongText(FreeText):
    name = "long_text"
    widget = "textarea"

    def field(self, question: Question, lang: str) -> Field:
        return TextAreaField(validators=self.validators(question))


@register
class MunicipalityKind(QuestionKind):
    """Which partner municipality the respondent lives or works in (or other/none)."""

    name = "municipality"
    widget = "select"

    def field(self, question: Question, lang: str) -> Field:
        from engage.surveys.services import municipality_choices

        choices = [("", _l("Choose…")), *municipality_choices(lang)]
        return ChoiceSelectField(choices=as_choices(choices), validators=_presence(question))

    def display(self, question: Question, value: Any, lang: str) -> str:
        from engage.surveys.services import municipality_choices

        return dict(municipality_choices(lang)).get(value, value or "")


@register
class StakeholderType(QuestionKind):
    name = "stakeholder_type"

    def field(self, question: Question, lang: str) -> Field:
        return ChoiceRadioField(choices=as_choices(list(STAKEHOLDER_TYPES.items())), validators=_presence(question))

    def display(self, question: Question, value: Any, lang: str) -> str:
        return str(STAKEHOLDER_TYPES.get(value, value or ""))


@register
class Consent(QuestionKind):
    """A check box; with settings {"purpose": "quote"} it records consent to being quoted."""

    name = "consent"
    widget = "checkbox"

    def field(self, question: Question, lang: str) -> Field:
        return ConsentField(validators=_presence(question))

    def value(self, data: Any) -> Any:
        return bool(data)

    def display(self, question: Question, value: Any, lang: str) -> str:
        return str(_l("Yes")) if value else str(_l("No"))


def question_text(question: Question, lang: str) -> str:
    """Return the question's text in `lang`, falling back to the other language."""
    return pick(question, "text", lang)[0]
