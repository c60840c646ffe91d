"""What the receipt page shows: the answers as the respondent reads them, and what was redacted."""

from __future__ import annotations

from flask_babel import ngettext

from engage.models import Response
from engage.surveys.kinds import kind_of


def redaction_phrase(kind: str, n: int) -> str:
    """Return e.g. "2 phone numbers" in the page's language."""
    phrases = {
        "cpr": lambda: ngettext("%(num)d CPR number", "%(num)d CPR numbers", n),
        "phone": lambda: ngettext("%(num)d phone number", "%(num)d phone numbers", n),
        "email": lambda: ngettext("%(num)d e-mail address", "%(num)d e-mail addresses", n),
        "url": lambda: ngettext("%(num)d personal web address", "%(num)d personal web addresses", n),
        "address": lambda: ngettext("%(num)d street address", "%(num)d street addresses", n),
        "name": lambda: ngettext("%(num)d name", "%(num)d names", n),
    }
    return phrases[kind]() if kind in phrases else ngettext("%(num)d other detail", "%(num)d other details", n)


def receipt_rows(response: Response, lang: str) -> list[tuple]:
    """Return (question, shown answer, lang attribute or None) in question order."""
    rows = []
    for answer in sorted(response.answers, key=lambda a: a.question.position):
        kind = kind_of(answer.question)
        if kind.is_free_text:
            rows.append((answer.question, answer.text or "", answer.lang if answer.lang in ("da", "en") else None))
        else:
            rows.append((answer.question, kind.display(answer.question, answer.value, lang), None))
    return rows


def describe_redactions(response: Response) -> str:
    """Return e.g. "1 phone number, 2 names" for everything redacted in the response, or ""."""
    totals: dict[str, int] = {}
    for answer in response.answers:
        for kind, count in (answer.redactions or {}).items():
            totals[kind] = totals.get(kind, 0) + int(count)
    return ", ".join(redaction_phrase(kind, count) for kind, count in sorted(totals.items()))
