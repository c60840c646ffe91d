"""The survey builder's rules, on the test database (SQLite or PostgreSQL): settings checked as a
whole, conditions only on earlier questions with values they can take, question versions for
answered questions, translation status blocking publication, permissions and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from engage.core.extensions import db
from engage.models import Answer, AuditEvent, Question, Survey, User
from engage.surveys import builder
from engage.surveys.services import submit_response

SETTINGS = {"slug": "borgerbudget", "lang_da": "1", "lang_en": "1", "title_da": "Borgerbudget",
            "title_en": "Citizens' budget", "modes": "both", "owner": "", "embed": "all"}
TRANSPORT = {"kind": "single_choice", "section": "1", "text_da": "Hvordan kommer du rundt?", "text_en": "How do you get around?",
             "option_key-0": "bike", "option_da-0": "Cykel", "option_en-0": "Bike",
             "option_key-1": "bus", "option_da-1": "Bus", "option_en-1": "Bus",
             "option_key-2": "car", "option_da-2": "Bil", "option_en-2": "Car"}


@pytest.fixture
def staff(ctx, make_user):
    """Return {role: User}: an analyst, a Gentofte editor and an Albertslund editor."""
    def user(role, municipality=None):
        email = make_user(role, municipality)
        return db.session.scalar(select(User).where(User.email == email))
    return {"analyst": user("analyst"), "gentofte": user("municipality_editor", "gentofte"),
            "albertslund": user("municipality_editor", "albertslund")}


def form(**fields):
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def new_survey(user, **changes):
    survey = builder.create_survey(form(**(SETTINGS | changes)), user)
    db.session.commit()
    return survey


def answer(survey, values, token):
    submit_response(survey, values, submission_token=token, locale="da")
    db.session.commit()


def audit_actions():
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


# --- settings --------------------------------------------------------------------------------


def test_bad_settings_name_every_field_and_save_nothing(staff):

    with pytest.raises(builder.BuilderError) as caught:
        builder.create_survey(form(**(SETTINGS | {"slug": "X", "title_da": "", "privacy_url": "javascript:alert(1)",
                                                  "opens_at": "2027-03-01T10:00", "closes_at": "2027-02-01T10:00",
                                                  "modes": "fax"})), staff["analyst"])
    assert set(caught.value.errors) == {"slug", "title_da", "privacy_url", "closes_at", "modes"}
    db.session.rollback()
    assert db.session.scalar(select(func.count(Survey.id))) == 0


def test_a_duplicate_slug_and_a_malformed_time_are_refused(staff):
    new_survey(staff["analyst"])
    with pytest.raises(builder.BuilderError) as caught:
        builder.create_survey(form(**(SETTINGS | {"opens_at": "next tuesday"})), staff["analyst"])
    assert set(caught.value.errors) == {"slug", "opens_at"}


def test_times_round_trip_through_the_form(staff):
    survey = new_survey(staff["analyst"], opens_at="2027-07-01T09:00", closes_at="2027-12-15T09:00")
    assert builder.local_input(survey.opens_at) == "2027-07-01T09:00"  # summer: UTC+2
    assert builder.local_input(survey.closes_at) == "2027-12-15T09:00"  # winter: UTC+1
    assert (survey.opens_at.hour, survey.closes_at.hour) == (7, 8)


def test_an_editor_creates_only_their_own_municipalitys_surveys(staff):
    with pytest.raises(builder.BuilderError) as caught:
        builder.create_survey(form(**SETTINGS), staff["gentofte"])  # owner "" = the region
    assert set(caught.value.errors) == {"owner"}
    db.session.rollback()
    survey = new_survey(staff["gentofte"], owner="gentofte")
    assert survey.owner.slug == "gentofte"
    assert builder.may_edit(staff["gentofte"], survey) and builder.may_edit(staff["analyst"], survey)
    assert not builder.may_edit(staff["albertslund"], survey)
    region = new_survey(staff["analyst"], slug="regional")
    assert not builder.may_edit(staff["gentofte"], region)
    assert [s.slug for s in builder.editable_surveys(staff["gentofte"])] == ["borgerbudget"]
    assert [s.slug for s in builder.editable_surveys(staff["analyst"])] == ["regional", "borgerbudget"]


def test_embedding_can_be_limited_to_chosen_municipalities(staff):
    survey = new_survey(staff["analyst"], embed="some", embed_municipality=["gentofte", "nowhere"])
    assert survey.embed_municipalities == ["gentofte"]
    assert survey.may_embed("gentofte") and not survey.may_embed("albertslund") and not survey.may_embed(None)
    with pytest.raises(builder.BuilderError) as caught:
        builder.update_settings(survey, form(**(SETTINGS | {"embed": "some"})), staff["analyst"])
    assert set(caught.value.errors) == {"embed"}


# --- questions and conditions ----------------------------------------------------------------


def test_options_without_text_and_too_few_options_are_refused(staff):
    survey = new_survey(staff["analyst"])
    with pytest.raises(builder.BuilderError) as caught:
        builder.add_question(survey, form(kind="single_choice", text_da="Hvad?", **{"option_key-0": "a"}), staff["analyst"])
    assert "options" in caught.value.errors and "“a”" in caught.value.errors["options"]
    with pytest.raises(builder.BuilderError) as caught:
        builder.add_question(survey, form(kind="single_choice", text_da="Hvad?", **{"option_da-0": "Ja"}), staff["analyst"])
    assert set(caught.value.errors) == {"options"}
    with pytest.raises(builder.BuilderError) as caught:
        builder.add_question(survey, form(kind="essay", text_da=""), staff["analyst"])
    assert set(caught.value.errors) == {"kind", "text_da"}
    assert survey.questions == []


def test_a_condition_refers_only_to_an_earlier_question_with_values_it_can_take(staff):
    survey = new_survey(staff["analyst"])
    transport = builder.add_question(survey, form(**TRANSPORT), staff["analyst"])
    why = {"kind": "long_text", "section": "1", "text_da": "Hvorfor bil?", "text_en": "Why the car?", "is_required": "1"}
    with pytest.raises(builder.BuilderError) as caught:  # a value the question does not have
        builder.add_question(survey, form(**why, cond_question="transport_x", cond_op="in"), staff["analyst"])
    assert set(caught.value.errors) == {"cond_question"}
    with pytest.raises(builder.BuilderError) as caught:  # nothing ticked: a required question never shown
        builder.add_question(survey, form(**why, cond_question=transport.key, cond_op="in"), staff["analyst"])
    assert set(caught.value.errors) == {"cond_question"}
    with pytest.raises(builder.BuilderError) as caught:
        builder.add_question(survey, form(**why, cond_question=transport.key, cond_op="in",
                                          **{f"cond_in-{transport.key}": ["car", "plane"]}), staff["analyst"])
    assert set(caught.value.errors) == {"cond_question"}
    with pytest.raises(builder.BuilderError) as caught:  # "at least" on a choice question
        builder.add_question(survey, form(**why, cond_question=transport.key, cond_op="min", cond_number="3"), staff["analyst"])
    assert set(caught.value.errors) == {"cond_question"}
    car = builder.add_question(survey, form(**why, cond_question=transport.key, cond_op="in",
                                            **{f"cond_in-{transport.key}": ["car"]}), staff["analyst"])
    db.session.commit()
    assert car.show_if == {"question": transport.key, "in": ["car"]}
    # the condition's question cannot move below it, nor lose the tested option, nor be deleted
    with pytest.raises(builder.BuilderError):
        builder.move_question(survey, car, "up", staff["analyst"])
    db.session.rollback()
    with pytest.raises(builder.BuilderError) as caught:
        builder.update_question(survey, transport, form(**{k: v for k, v in TRANSPORT.items() if not k.endswith("-2")}),
                                staff["analyst"])
    assert set(caught.value.errors) == {"options"}
    with pytest.raises(builder.BuilderError):
        builder.delete_question(survey, transport, staff["analyst"])
    db.session.rollback()
    assert [q.key for q in builder.ordered(survey)] == [transport.key, car.key]
    # and a condition on a later page's question is refused as well
    later = builder.add_question(survey, form(**(TRANSPORT | {"section": "3"})), staff["analyst"])
    with pytest.raises(builder.BuilderError):
        builder.add_question(survey, form(**(why | {"section": "2"}), cond_question=later.key, cond_op="in",
                                          **{f"cond_in-{later.key}": ["car"]}), staff["analyst"])


def test_scale_conditions_stay_on_the_scale(staff):
    survey = new_survey(staff["analyst"])
    scale = builder.add_question(survey, form(kind="scale", text_da="Tilfreds?", text_en="Satisfied?", scale_min="0",
                                              scale_max="10"), staff["analyst"])
    follow = {"kind": "short_text", "text_da": "Hvorfor?", "text_en": "Why?", "cond_question": scale.key, "cond_op": "max"}
    with pytest.raises(builder.BuilderError):
        builder.add_question(survey, form(**follow, cond_number="11"), staff["analyst"])
    with pytest.raises(builder.BuilderError) as caught:
        builder.add_question(survey, form(**follow, cond_number="lots"), staff["analyst"])
    assert set(caught.value.errors) == {"cond_number"}
    question = builder.add_question(survey, form(**follow, cond_number="4"), staff["analyst"])
    assert question.show_if == {"question": scale.key, "max": 4}
    assert "4" in builder.describe_condition(survey, question, "en")


def test_move_up_and_down_cross_page_boundaries_and_reorder_keeps_pages(staff):
    survey = new_survey(staff["analyst"])
    a = builder.add_question(survey, form(**(TRANSPORT | {"text_da": "A"})), staff["analyst"])
    b = builder.add_question(survey, form(kind="short_text", text_da="B", text_en="B"), staff["analyst"])
    c = builder.add_question(survey, form(kind="short_text", text_da="C", text_en="C", section="2"), staff["analyst"])
    builder.move_question(survey, c, "up", staff["analyst"])  # the first of page 2 becomes the last of page 1
    assert [(q.key, q.section) for q in builder.ordered(survey)] == [(a.key, 1), (b.key, 1), (c.key, 1)]
    builder.move_question(survey, a, "down", staff["analyst"])
    assert [q.key for q in builder.ordered(survey)] == [b.key, a.key, c.key]
    builder.move_question(survey, c, "down", staff["analyst"])  # already last: nothing happens
    builder.move_question(survey, a, "up", staff["analyst"])
    assert [q.key for q in builder.ordered(survey)] == [a.key, b.key, c.key]
    builder.reorder(survey, [b.key, c.key, a.key], staff["analyst"])
    assert [q.position for q in builder.ordered(survey)] == [1, 2, 3]
    assert [q.key for q in builder.ordered(survey)] == [b.key, c.key, a.key]
    with pytest.raises(builder.BuilderError):
        builder.reorder(survey, [b.key, c.key], staff["analyst"])
    assert audit_actions().count("question_move") == 3 and "question_reorder" in audit_actions()


# --- versions --------------------------------------------------------------------------------


def test_a_change_of_meaning_to_an_answered_question_makes_a_new_version(staff):
    survey = new_survey(staff["analyst"])
    transport = builder.add_question(survey, form(**TRANSPORT), staff["analyst"])
    builder.add_question(survey, form(kind="long_text", text_da="Andet?", text_en="Anything else?"), staff["analyst"])
    builder.set_status(survey, "open", staff["analyst"])
    db.session.commit()
    answer(survey, {transport.key: "car"}, "t1")
    old_id = transport.id
    # fixing a typo and adding an option: same version
    builder.update_question(survey, transport, form(**(TRANSPORT | {"text_da": "Hvordan kommer du mest rundt?",
                                                                    "option_da-3": "Tog", "option_en-3": "Train"})),
                            staff["analyst"])
    db.session.commit()
    assert transport.version == 1 and transport.option_keys() == ["bike", "bus", "car", "tog"]
    # removing "car", which an answer chose: asks first, changes nothing
    without_car = {k: v for k, v in TRANSPORT.items() if not k.endswith("-2")} | {"option_da-3": "Tog", "option_en-3": "Train"}
    with pytest.raises(builder.NeedsNewVersion) as caught:
        builder.update_question(survey, transport, form(**without_car), staff["analyst"])
    assert caught.value.answers == 1 and "car" in caught.value.reasons[0]
    db.session.rollback()
    successor = builder.update_question(survey, transport, form(**without_car), staff["analyst"], new_version=True)
    db.session.commit()
    assert (successor.key, successor.version) == (transport.key, 2) and successor.id != old_id
    assert [q.id for q in survey.questions if q.key == transport.key] == [successor.id]
    old = db.session.get(Question, old_id)
    assert old.retired_at is not None and old.option_keys() == ["bike", "bus", "car", "tog"]
    stored = db.session.scalar(select(Answer).where(Answer.question_id == old_id))
    assert stored.value == "car" and stored.question.options[2]["da"] == "Bil"
    # new answers use version 2; both stay
    answer(survey, {transport.key: "bike"}, "t2")
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.question_id == successor.id)) == 1
    assert "question_version" in audit_actions()
    # changing the kind is a change of meaning as well
    builder.add_question(survey, form(kind="short_text", text_da="Navn på din by", text_en="Your town"), staff["analyst"])
    town = [q for q in survey.questions if q.kind == "short_text"][0]
    answer(survey, {town.key: "Hillerød"}, "t3")
    with pytest.raises(builder.NeedsNewVersion):
        builder.update_question(survey, town, form(kind="long_text", text_da="Din by", text_en="Your town"), staff["analyst"])


def test_deleting_an_answered_question_keeps_its_answers(staff):
    survey = new_survey(staff["analyst"])
    transport = builder.add_question(survey, form(**TRANSPORT), staff["analyst"])
    other = builder.add_question(survey, form(kind="short_text", text_da="B", text_en="B"), staff["analyst"])
    builder.set_status(survey, "open", staff["analyst"])
    db.session.commit()
    answer(survey, {transport.key: "bus"}, "t1")
    assert builder.delete_question(survey, transport, staff["analyst"]) is True
    assert builder.delete_question(survey, other, staff["analyst"]) is False
    db.session.commit()
    assert survey.questions == []
    assert [q.key for q in survey.all_questions] == [transport.key]
    assert db.session.scalar(select(func.count(Answer.id))) == 1
    with pytest.raises(builder.BuilderError):  # a survey with answers does not go back to draft
        builder.set_status(survey, "draft", staff["analyst"])


# --- translations and publishing -------------------------------------------------------------


def test_publishing_is_blocked_while_a_required_text_is_missing(staff):
    from flask_babel import force_locale

    with force_locale("en"):
        publishing_is_blocked(staff)


def publishing_is_blocked(staff):
    survey = new_survey(staff["analyst"], title_en="")
    with pytest.raises(builder.BuilderError) as caught:
        builder.set_status(survey, "open", staff["analyst"])
    assert "questions" in caught.value.errors["status"]
    question = builder.add_question(survey, form(**(TRANSPORT | {"text_en": "", "option_en-1": "",
                                                                 "help_da": "Vælg én"})), staff["analyst"])
    missing = builder.translation_status(survey)
    assert len(missing) == 4  # title, question text, option "bus", the help text given only in Danish
    assert all(m.lang == "en" for m in missing)
    with pytest.raises(builder.BuilderError) as caught:
        builder.set_status(survey, "open", staff["analyst"])
    assert caught.value.errors["status"].count("\n") == 3
    assert survey.status == "draft"
    # a survey offered only in Danish needs only Danish
    builder.update_settings(survey, form(**(SETTINGS | {"lang_en": "", "title_en": ""})), staff["analyst"])
    assert builder.translation_status(survey) == []  # the introduction is empty in every language: optional
    builder.set_status(survey, "open", staff["analyst"])
    assert survey.status == "open" and question.key
    assert audit_actions()[-1] == "survey_status"


def test_duplicate_and_archive(staff):
    survey = new_survey(staff["analyst"])
    builder.add_question(survey, form(**TRANSPORT), staff["analyst"])
    builder.set_status(survey, "open", staff["analyst"])
    copy = builder.duplicate_survey(survey, staff["analyst"])
    assert (copy.slug, copy.status, copy.title_en) == ("borgerbudget-copy", "draft", "Citizens' budget (copy)")
    assert [q.key for q in copy.questions] == [q.key for q in survey.questions]
    assert builder.duplicate_survey(survey, staff["analyst"]).slug == "borgerbudget-copy-2"
    builder.set_archived(survey, True, staff["analyst"])
    assert survey.status == "closed" and survey not in builder.editable_surveys(staff["analyst"])
    assert survey in builder.editable_surveys(staff["analyst"], archived=True)
    with pytest.raises(builder.BuilderError):
        builder.set_status(survey, "open", staff["analyst"])


def test_every_change_is_in_the_audit_log_with_who(staff):
    survey = new_survey(staff["gentofte"], owner="gentofte")
    q = builder.add_question(survey, form(**TRANSPORT), staff["gentofte"])
    builder.update_question(survey, q, form(**(TRANSPORT | {"text_da": "Ny tekst"})), staff["gentofte"])
    builder.update_settings(survey, form(**(SETTINGS | {"owner": "gentofte", "title_da": "Nyt navn"})), staff["gentofte"])
    builder.set_status(survey, "open", staff["gentofte"])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.target.like("survey:%")).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["survey_create", "question_add", "question_edit", "survey_edit", "survey_status"]
    assert {e.user_id for e in events} == {staff["gentofte"].id}
    assert events[2].details["fields"] == ["text_da"] and events[3].details["fields"] == ["title_da"]
    assert all(e.target == f"survey:{survey.id}" for e in events)
