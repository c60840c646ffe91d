"""Create the demo survey (every question kind) and demo responses marked `is_demo`.

The free-text answers come from `data/answers.jsonl`, written by the Engage team as example data
(see data/README.md); a few contain fictitious personal data so that the demo shows redaction.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from engage.core.extensions import db
from engage.models import Municipality, Question, Response, Survey
from engage.models.base import utcnow
from engage.surveys.analysis import AnswerAnalyser
from engage.surveys.services import submit_response

DEMO_SLUG = "smart-greater-copenhagen"
ANSWERS = Path(__file__).parent / "data" / "answers.jsonl"


def _opts(*pairs: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"key": k, "da": da, "en": en} for k, da, en in pairs]


QUESTIONS: list[dict[str, Any]] = [
    # Section 1: about you
    dict(key="municipality", section=1, kind="municipality", is_required=True,
         text_da="Hvilken kommune bor eller arbejder du i?",
         text_en="Which municipality do you live or work in?"),
    dict(key="stakeholder", section=1, kind="stakeholder_type", is_required=True,
         text_da="Hvem svarer du som?", text_en="Who are you answering as?"),
    dict(key="organisation", section=1, kind="short_text",
         text_da="Hvilken virksomhed, uddannelsesinstitution eller organisation repræsenterer du?",
         text_en="Which company, university or organisation do you represent?",
         show_if={"question": "stakeholder", "in": ["business", "university", "organisation"]},
         settings={"max_length": 120}),
    # Section 2: your needs
    dict(key="focus", section=2, kind="multi_choice",
         text_da="Hvilke områder betyder mest for din hverdag?",
         text_en="Which areas matter most in your everyday life?",
         help_da="Vælg alle, der passer.", help_en="Choose all that apply.",
         options=_opts(("mobility", "Transport og mobilitet", "Transport and mobility"),
                       ("energy", "Energi og varme", "Energy and heating"),
                       ("climate", "Klima og skybrud", "Climate and cloudbursts"),
                       ("waste", "Affald og genbrug", "Waste and recycling"),
                       ("digital", "Digitale services", "Digital services"),
                       ("housing", "Boliger", "Housing"),
                       ("health", "Sundhed og velfærd", "Health and welfare"),
                       ("jobs", "Job og erhverv", "Jobs and business"))),
    dict(key="transport", section=2, kind="single_choice", is_required=True,
         text_da="Hvordan kommer du oftest rundt?", text_en="How do you usually get around?",
         options=_opts(("bike", "Cykel", "Bike"), ("public", "Kollektiv trafik", "Public transport"),
                       ("car", "Bil", "Car"), ("walk", "Til fods", "On foot"), ("other", "Andet", "Other"))),
    dict(key="transit_ok", section=2, kind="likert",
         text_da="Den kollektive trafik, hvor jeg bor, dækker mine behov.",
         text_en="Public transport where I live meets my needs.",
         show_if={"question": "transport", "in": ["public"]}),
    dict(key="priorities", section=2, kind="long_text",
         text_da="Hvad er det vigtigste, din kommune og regionen skal gøre for at gøre din hverdag bedre?",
         text_en="What is the most important thing your municipality and the region should do to improve your everyday life?",
         help_da="Skriv med dine egne ord. Undlad navne, telefonnumre og andre personoplysninger.",
         help_en="Use your own words. Please leave out names, phone numbers and other personal details."),
    # Section 3: technology
    dict(key="digital_confidence", section=3, kind="scale", is_required=True,
         text_da="Hvor tryg er du ved at bruge det offentliges digitale løsninger?",
         text_en="How confident are you using public digital services?",
         settings={"min": 0, "max": 10, "min_label_da": "slet ikke tryg", "max_label_da": "helt tryg",
                   "min_label_en": "not at all confident", "max_label_en": "completely confident"}),
    dict(key="invest", section=3, kind="ranking",
         text_da="Hvad bør regionen investere i først? Giv hvert område en plads fra 1 (først) til 4.",
         text_en="What should the region invest in first? Give each area a place from 1 (first) to 4.",
         options=_opts(("transit", "Kollektiv trafik", "Public transport"),
                       ("green_energy", "Grøn energi", "Green energy"),
                       ("digital", "Digitale services", "Digital services"),
                       ("housing", "Betalelige boliger", "Affordable housing"))),
    dict(key="ideas", section=3, kind="long_text",
         text_da="Har du idéer til, hvordan teknologi, data eller digitale løsninger kan hjælpe – eller bekymringer?",
         text_en="Do you have ideas on how technology, data or digital solutions could help – or concerns?"),
    dict(key="area", section=3, kind="short_text",
         text_da="Beskriv dit lokalområde med få ord", text_en="Describe your neighbourhood in a few words",
         settings={"max_length": 120}),
    # Section 4: finally
    dict(key="digital_help", section=4, kind="single_choice",
         text_da="Ville du have gavn af hjælp til at bruge digitale løsninger?",
         text_en="Would help with using digital services be useful to you?",
         show_if={"question": "digital_confidence", "max": 4},
         options=_opts(("yes", "Ja", "Yes"), ("maybe", "Måske", "Maybe"), ("no", "Nej", "No"))),
    dict(key="quote_ok", section=4, kind="consent", settings={"purpose": "quote"},
         text_da="Mine svar må citeres anonymt i regionens strategiarbejde.",
         text_en="My answers may be quoted anonymously in the region's strategy work."),
    dict(key="data_ok", section=4, kind="consent", is_required=True,
         text_da="Jeg har læst, at mine svar bruges til at udvikle Smart Greater Copenhagen-strategien, og at personoplysninger fjernes.",
         text_en="I have read that my answers are used to develop the Smart Greater Copenhagen strategy and that personal details are removed."),
]


@dataclass(frozen=True)
class SeedResult:
    """What `seed_demo_data` made."""

    survey_slug: str
    responses: int


def ensure_demo_survey() -> Survey:
    """Return the demo survey, creating it (open, both modes) if it does not exist."""
    survey = db.session.scalar(select(Survey).where(Survey.slug == DEMO_SLUG))
    if survey is not None:
        return survey
    survey = Survey(
        slug=DEMO_SLUG,
        title_da="Smart Greater Copenhagen – dine behov",
        title_en="Smart Greater Copenhagen – your needs",
        intro_da=("Region Hovedstaden og kommunerne i Smart Greater Copenhagen laver en fælles strategi. "
                  "Fortæl os, hvad du har brug for i din hverdag – om transport, energi, klima, affald, "
                  "digitale løsninger og meget mere. Det tager 5–10 minutter."),
        intro_en=("The Capital Region and the municipalities of Smart Greater Copenhagen are writing a joint "
                  "strategy. Tell us what you need in your everyday life – transport, energy, climate, waste, "
                  "digital services and more. It takes 5–10 minutes."),
        status="open",
        modes="both",
        allow_quotes=True,
        is_demo=True,
    )
    for position, spec in enumerate(QUESTIONS, start=1):
        survey.questions.append(Question(position=position, **spec))
    db.session.add(survey)
    db.session.flush()
    return survey


def load_demo_answers() -> list[dict[str, str]]:
    """Return the demo free-text answers."""
    with ANSWERS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


#: Local origins that may frame the demo widget: a page served from a second local address shows
#: the widget as a municipality's site would (README: "Try the widget").
DEMO_EMBED_ORIGINS = {"gentofte": ["http://127.0.0.2:8765"]}


def allow_demo_embedding() -> None:
    """Let the demo municipalities' local test pages frame the widget (adds, never removes)."""
    for slug, origins in DEMO_EMBED_ORIGINS.items():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
        if municipality is not None:
            municipality.embed_origins = sorted(set(municipality.embed_origins or []) | set(origins))


def seed_demo_data(n_responses: int = 200, seed: int = 2026, analyser: AnswerAnalyser | None = None) -> SeedResult:
    """Create the demo survey and `n_responses` demo responses, replacing earlier demo responses."""
    survey = ensure_demo_survey()
    allow_demo_embedding()
    db.session.execute(delete(Response).where(Response.survey_id == survey.id, Response.is_demo))
    rng = random.Random(seed)
    texts = load_demo_answers()
    by_question: dict[str, list[dict[str, str]]] = {}
    for item in texts:
        by_question.setdefault(item["question"], []).append(item)
    for pool in by_question.values():
        rng.shuffle(pool)
    now = utcnow()
    for i in range(n_responses):
        primary = by_question["priorities"][i % len(by_question["priorities"])]
        answers = _random_answers(rng, primary)
        for key in ("ideas", "area"):
            pool = by_question.get(key, [])
            if pool and rng.random() < len(pool) / n_responses:
                answers[key] = pool.pop()["text"]
        if i < len(by_question["priorities"]):
            answers["priorities"] = primary["text"]
        submitted = submit_response(
            survey, answers, submission_token=f"demo-{seed}-{i}", locale=primary["lang"],
            started_at=now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(5, 30)),
            is_demo=True, analyser=analyser,
        )
        submitted.response.submitted_at = submitted.response.started_at + timedelta(minutes=rng.randint(3, 15))
    db.session.flush()
    return SeedResult(DEMO_SLUG, n_responses)


def _random_answers(rng: random.Random, primary: dict[str, str]) -> dict[str, Any]:
    """Return plausible closed answers for one demo respondent."""
    transport = rng.choices(["bike", "public", "car", "walk", "other"], weights=[35, 30, 25, 8, 2])[0]
    answers: dict[str, Any] = {
        "municipality": primary["municipality"],
        "stakeholder": primary["stakeholder"],
        "focus": rng.sample(["mobility", "energy", "climate", "waste", "digital", "housing", "health", "jobs"],
                            k=rng.randint(1, 4)),
        "transport": transport,
        "digital_confidence": rng.choices(range(11), weights=[1, 1, 2, 2, 3, 5, 6, 8, 9, 7, 6])[0],
        "invest": rng.sample(["transit", "green_energy", "digital", "housing"], k=4),
        "quote_ok": rng.random() < 0.7,
        "data_ok": True,
    }
    if transport == "public":
        answers["transit_ok"] = rng.randint(1, 5)
    if answers["digital_confidence"] <= 4:
        answers["digital_help"] = rng.choice(["yes", "maybe", "no"])
    return answers
