"""Fixtures for the staff workspace: staff accounts, logged-in clients and seeded answers."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from engage.core.extensions import db


def submit(app: Flask, slug: str, answers: dict[str, Any], token: str, locale: str = "da", **extra: Any) -> int:
    """Store one response through the real submit service (with the real analyser); return its id."""
    from engage.surveys.services import get_survey, submit_response

    with app.app_context():
        survey = get_survey(slug)
        submitted = submit_response(survey, answers, submission_token=token, locale=locale,
                                    analyser=app.extensions["engage.analyser"], **extra)
        db.session.commit()
        response_id = submitted.response.id
        db.session.remove()
    return response_id


@pytest.fixture
def seeded(app: Flask, demo_survey: str) -> dict[str, Any]:
    """Store demo-survey responses from Gentofte and Albertslund with known free text."""
    base = {"stakeholder": "citizen", "focus": ["mobility"], "transport": "bike", "digital_confidence": 7,
            "invest": ["transit", "digital", "housing", "green_energy"], "quote_ok": True, "data_ok": True}
    texts = {
        "gentofte": ["Flere cykelstier langs Strandvejen og bedre busforbindelser til Hellerup station.",
                     "Busserne kører for sjældent om aftenen, det er et stort problem for pendlere.",
                     "Vi har brug for sikre cykelstier til skolebørn ved Bernstorffsvej."],
        "albertslund": ["Fjernvarmen er alt for dyr i Albertslund, og isoleringen af boligerne er dårlig.",
                        "Solceller på alle offentlige tage ville sænke energiprisen for borgerne.",
                        "Genbrugspladsen burde have længere åbningstider i weekenden."],
    }
    ids: dict[str, list[int]] = {}
    for municipality, items in texts.items():
        for i, text in enumerate(items):
            answers = base | {"municipality": municipality, "priorities": text}
            ids.setdefault(municipality, []).append(
                submit(app, demo_survey, answers, token=f"seed-{municipality}-{i}"))
    return {"slug": demo_survey, "responses": ids, "texts": texts}
