"""WTForms built from Question rows, one form per section."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from engage.models import Question
from engage.surveys.kinds import kind_of

FIELD_PREFIX = "q_"


def field_name(question: Question) -> str:
    """Return the form field name of `question`."""
    return FIELD_PREFIX + question.key


class SectionForm(FlaskForm):
    """The fields every section carries: signed state and a honeypot for bots."""

    state = HiddenField()
    #: Left empty by people (it is hidden from them and from screen readers); bots fill it.
    website = StringField()


def build_section_form(
    questions: list[Question], lang: str, formdata: Any = None, answers: dict[str, Any] | None = None,
    csrf: bool = True,
) -> SectionForm:
    """Return a form with one field per question; refilled from `formdata` or saved `answers`.

    `csrf` False leaves out the session-bound CSRF token (widget and chat pages, whose signed and
    expiring state is the token: they must work in a cross-site iframe without cookies)."""

    class Form(SectionForm):
        pass

    for question in questions:
        setattr(Form, field_name(question), kind_of(question).field(question, lang))
    data = {
        field_name(q): kind_of(q).form_data(answers[q.key])
        for q in questions
        if answers and q.key in answers
    }
    meta = {} if csrf else {"csrf": False}
    if formdata is not None:
        return Form(formdata=formdata, data=data, meta=meta)
    return Form(data=data, formdata=None, meta=meta)


def collect(form: SectionForm, questions: list[Question]) -> dict[str, Any]:
    """Return {question key: stored value} for the questions of `form` that have an answer."""
    values: dict[str, Any] = {}
    for question in questions:
        value = kind_of(question).value(form[field_name(question)].data)
        if value is not None:
            values[question.key] = value
    return values


def validate_visible(form: SectionForm, names: list[str]) -> bool:
    """Validate the CSRF token and the named fields only; hidden questions are not checked."""
    ok = True
    for name in ["csrf_token", *names]:
        if name in form and not form[name].validate(form):
            ok = False
    return ok
