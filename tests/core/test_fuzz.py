"""Property-based tests: no input gives a 5xx, pages stay in the URL's language, typed text is
kept when a page re-renders, and stored text never contains NUL or lone surrogates.

Hypothesis generates arbitrary Unicode (NUL, lone surrogates, right-to-left and combining marks,
non-ASCII digits, very long strings). Requests are encoded as a browser would put bytes on the wire
(lone surrogates as their UTF-8-like bytes, which the server must survive). The citizen routes
are read from the URL map, so a route added later is fuzzed too.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from engage.core.extensions import db
from engage.core.limits import clean_text
from engage.models import Answer
from engage.surveys.kinds import KINDS
from tests.conftest import hidden_fields

SPECIAL = ["\x00", "\ud800", "\udfff", "\u202e", "\u200f", "\u0301", "²", "١٢", "٣", "½", "Ⅻ", "𝟘", "-0",
           "1e9", "99999999999999999999", "0x1F", " ", "\r\n", "<script>alert(1)</script>", "'\"&", "%00"]
ANY_CHAR = st.characters(exclude_categories=())  # includes surrogates (Cs) and control characters
NASTY = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.sampled_from(SPECIAL),
    st.lists(st.sampled_from(SPECIAL), max_size=8).map("".join),
    st.builds(lambda ch, n: ch * n, ANY_CHAR, st.integers(1, 6000)),
)
#: Derandomised (the same examples on every run, so CI is repeatable) and without shrinking (a
#: failure prints the example as found; shrinking an HTTP round trip can take many minutes).
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

OPTIONS = [{"key": "a", "da": "A", "en": "A"}, {"key": "b", "da": "B", "en": "B"},
           {"key": "c", "da": "C", "en": "C"}]
#: One question of every registered kind (a new kind fails `test_every_kind_is_fuzzed` until added).
EVERY_KIND = [
    {"key": "single", "kind": "single_choice", "options": OPTIONS},
    {"key": "multi", "kind": "multi_choice", "options": OPTIONS},
    {"key": "agree", "kind": "likert"},
    {"key": "score", "kind": "scale", "settings": {"min": 0, "max": 10}},
    {"key": "rank", "kind": "ranking", "options": OPTIONS},
    {"key": "short", "kind": "short_text"},
    {"key": "long", "kind": "long_text"},
    {"key": "where", "kind": "municipality"},
    {"key": "who", "kind": "stakeholder_type"},
    {"key": "quote", "kind": "consent", "settings": {"purpose": "quote"}},
]
VALID = {"single": ["a", "b"], "multi": ["a", "c"], "agree": ["1", "5"], "score": ["0", "7", "10"],
         "where": ["gentofte", "other"], "who": ["citizen", "business"], "quote": ["y"]}
FIELDS = ["q_single", "q_multi", "q_agree", "q_score", "q_rank-a", "q_rank-b", "q_rank-c", "q_short",
          "q_long", "q_where", "q_who", "q_quote"]


def wire(value: str) -> str:
    """Percent-encode `value` as UTF-8 bytes, lone surrogates included (as a broken client would)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def post_form(client, url: str, fields: dict[str, str]):
    body = "&".join(f"{wire(k)}={wire(v)}" for k, v in fields.items())
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


def page_lang(html: str) -> str | None:
    match = re.search(r'<html lang="(\w+)"', html)
    return match.group(1) if match else None


def test_every_kind_is_fuzzed():
    assert {q["kind"] for q in EVERY_KIND} == set(KINDS)


@pytest.fixture
def every_kind_survey(make_survey) -> str:
    return make_survey(EVERY_KIND, slug="every-kind")


@given(data=st.data())
@FUZZ
def test_any_value_in_any_field_never_gives_a_5xx_and_typed_text_is_kept(app, client, every_kind_survey, data):
    lang = data.draw(st.sampled_from(["da", "en"]))
    url = f"/{lang}/s/{every_kind_survey}"
    hidden = hidden_fields(client.get(url).get_data(as_text=True))
    fields = {}
    for name in FIELDS:
        key = name[2:].split("-")[0]
        choices = [st.just(""), NASTY]
        if key in VALID:
            choices.append(st.sampled_from(VALID[key]))
        if key == "rank":
            choices.append(st.sampled_from(["1", "2", "3"]))
        fields[name] = data.draw(st.one_of(*choices), label=name)
    action = data.draw(st.sampled_from(["submit", "stay", "next", "back", "\x00"]))
    page = post_form(client, url, {**hidden, **fields, "action": action})
    html = page.get_data(as_text=True)
    assert page.status_code < 500, html[:500]
    if page.status_code in (303, 413):
        return
    assert page_lang(html) == lang
    if page.status_code in (200, 422):
        for name in ("q_short", "q_long"):
            typed = fields[name]
            kept = clean_text(typed).strip()  # "back" refills from the stored (trimmed) value
            if kept and not re.search("[\ud800-\udfff]", typed):
                assert str(escape(kept)) in html, f"{name} not kept"


@given(answers=st.fixed_dictionaries({"q_short": NASTY, "q_long": NASTY}))
@FUZZ
def test_stored_text_never_contains_nul_or_lone_surrogates(app, client, every_kind_survey, answers):
    url = f"/da/s/{every_kind_survey}"
    hidden = hidden_fields(client.get(url).get_data(as_text=True))
    answers = {name: value[:200] for name, value in answers.items()}  # within the short limit
    page = post_form(client, url, {**hidden, **answers, "action": "submit"})
    assert page.status_code in (303, 422), page.get_data(as_text=True)[:500]
    with app.app_context():
        for text in db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))):
            assert "\x00" not in text
            assert not re.search("[\ud800-\udfff]", text)
            text.encode("utf-8")  # a lone surrogate would raise here


def citizen_rules(app):
    """Every route a citizen can reach: not staff pages, not static files."""
    staff = ("dashboard", "auth", "static")
    return [rule for rule in app.url_map.iter_rules()
            if not rule.endpoint.split(".")[0].startswith(staff) and not rule.endpoint.startswith(staff)]


def test_citizen_routes_are_enumerated(app):
    endpoints = {rule.endpoint for rule in citizen_rules(app)}
    assert {"surveys.index", "surveys.take", "surveys.receipt", "surveys.confirm_delete",
            "core.choose_language", "core.healthz"} <= endpoints


@given(data=st.data())
@FUZZ
def test_any_path_segment_or_query_on_citizen_routes_never_gives_a_5xx(app, client, every_kind_survey, data):
    rule = data.draw(st.sampled_from(sorted(citizen_rules(app), key=lambda r: r.rule)), label="rule")
    lang = data.draw(st.sampled_from(["da", "en"]))
    path = rule.rule
    for argument in rule.arguments:
        value = lang if argument == "lang" else data.draw(st.one_of(NASTY, st.just(every_kind_survey)))
        path = re.sub(rf"<(?:[^>:]+:)?{argument}>|<any\([^)]*\):{argument}>", lambda _m, v=value: wire(v) or "x", path)
    query = data.draw(st.dictionaries(NASTY, NASTY, max_size=3), label="query")
    url = path + ("?" + "&".join(f"{wire(k)}={wire(v)}" for k, v in query.items()) if query else "")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"OPTIONS", "HEAD"})))
    page = client.open(url, method=method)
    html = page.get_data(as_text=True)
    assert page.status_code < 500, (url[:200], html[:500])
    if "lang" in rule.arguments and page.status_code not in (302, 303, 308, 413, 414):
        assert page_lang(html) == lang, (url[:200], page.status_code)
