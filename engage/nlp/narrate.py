"""A readable summary of one theme, generated from the evidence, in Danish or English.

Three to six sentences: how many answered, the sub-topics in order with their shares, the tone,
and where municipalities or stakeholder groups differ — each a `Claim` carrying the answer ids
behind it. The sentences are templates translated through Babel (the project's `messages`
catalogues, so `flask translate` extracts and checks them like every other string) and every
number is formatted for the reader's locale. Nothing is claimed that the counts do not carry:

- a theme with fewer than SMALL_COUNT answers says so, and is not split into proportions;
- a difference between a group and the rest is stated only when the group has at least
  MIN_GROUP answers in the set and a two-proportion z-test gives |z| >= Z_DIFFERENCE (about
  p < 0.01); with fewer than SOLID_GROUP answers of the theme in the group it is hedged
  ("appears to").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}
SMALL_COUNT = 20  # fewer answers than this in a theme: hedged, no proportions of sub-topics
MIN_GROUP = 30  # a municipality or stakeholder group needs this many answers to be compared
SOLID_GROUP = 30  # fewer of the theme's answers than this in the group: the difference is hedged
Z_DIFFERENCE = 2.58  # two-sided p < 0.01
MIN_DIFFERENCE = 0.05  # and at least 5 percentage points apart
MAX_DIFFERENCES = 2
MOSTLY = 0.5  # a tone holding more than this share of the answers is "mostly" that tone
LISTED_PARTS = 6  # sub-topics named in the summary: all of them
EVIDENCE_IDS = 20  # answer ids kept behind a claim or a sub-topic, most central first (with the count)


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is used."""
    return message


#: Stakeholder types (engage.surveys.kinds.STAKEHOLDER_TYPES) as the group named in a sentence.
STAKEHOLDER_GROUPS = {
    "citizen": N_("citizens"),
    "business": N_("businesses"),
    "university": N_("universities and researchers"),
    "organisation": N_("organisations and associations"),
    "municipal_employee": N_("municipal employees"),
    "other": N_("other respondents"),
}


@dataclass(frozen=True)
class Claim:
    """One sentence of a generated summary, in `lang`, with the answer ids behind it (at most
    EVIDENCE_IDS, most central first) and how many answers stand behind it in all (`count`)."""

    text: str
    lang: str
    ids: tuple[str, ...]
    count: int

    def to_dict(self) -> dict:
        """Return a JSON-able dict; `id` is the first cited answer (what older readers expect)."""
        return {
            "id": self.ids[0] if self.ids else "",
            "ids": list(self.ids),
            "count": self.count,
            "text": self.text,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class Part:
    """A sub-topic as the summary sees it: its label (in the language people wrote it in), how
    many of the theme's answers use its words, and their ids."""

    label: str
    lang: str
    count: int
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    """A group (a municipality or a stakeholder type) where the theme is more or less common.

    `kind` is "municipality" or "stakeholder"; `name` the group's name per language; `inside` of
    `group_total` answers of the group carry the theme, `outside` of `rest_total` of the others.
    """

    kind: str
    key: str
    name: Mapping[str, str]
    inside: int
    group_total: int
    outside: int
    rest_total: int
    ids: tuple[str, ...]

    @property
    def share(self) -> float:
        """Return the theme's share of the group's answers."""
        return self.inside / self.group_total if self.group_total else 0.0

    @property
    def rest_share(self) -> float:
        """Return the theme's share of the other answers."""
        return self.outside / self.rest_total if self.rest_total else 0.0

    @property
    def hedged(self) -> bool:
        """Return True if too few of the theme's answers are in the group to state it flatly."""
        return self.inside < SOLID_GROUP


def two_proportion_z(a: int, n: int, b: int, m: int) -> float:
    """Return the z statistic of the difference between proportions a/n and b/m (pooled)."""
    if n == 0 or m == 0:
        return 0.0
    pooled = (a + b) / (n + m)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    return (a / n - b / m) / spread if spread else 0.0


def differences(
    kind: str,
    inside: Mapping[str, int],
    totals: Mapping[str, int],
    names: Mapping[str, Mapping[str, str]],
    ids_of: Callable[[str], Sequence[str]],
) -> list[Difference]:
    """Return the groups of one kind where the theme's share differs clearly from the rest,
    strongest first (at most MAX_DIFFERENCES).

    `inside` maps a group key to how many of its answers carry the theme, `totals` to all its
    answers in the set, `ids_of(key)` returns the ids of the group's answers carrying the theme
    (most central first); the unknown group (key "") is never compared.
    """
    grand = sum(totals.values())
    carrying = sum(inside.values())
    found = []
    for key, group_total in totals.items():
        if not key or group_total < MIN_GROUP or grand - group_total < MIN_GROUP:
            continue
        n_in = inside.get(key, 0)
        rest_total, outside = grand - group_total, carrying - n_in
        z = two_proportion_z(n_in, group_total, outside, rest_total)
        if abs(z) < Z_DIFFERENCE or abs(n_in / group_total - outside / rest_total) < MIN_DIFFERENCE:
            continue
        found.append((abs(z), key, n_in, group_total, outside, rest_total))
    found.sort(key=lambda f: (-f[0], f[1]))
    return [
        Difference(kind, key, names.get(key, {}), n_in, group_total, outside, rest_total,
                   tuple(ids_of(key)[:EVIDENCE_IDS]))
        for _, key, n_in, group_total, outside, rest_total in found[:MAX_DIFFERENCES]
    ]


@cache
def _translations(lang: str) -> NullTranslations:
    """Return the compiled `messages` catalogue of `lang` (English msgids need none)."""
    if lang == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang])


def lang_of(locale: str) -> str:
    """Return "da" or "en" for a locale such as "da", "da_DK" or "en-GB"."""
    return "en" if locale.lower().startswith("en") else "da"


class _Writer:
    """Formats numbers and picks sentences for one locale."""

    def __init__(self, locale: str) -> None:
        self.lang = lang_of(locale)
        self.babel = BABEL_LOCALES[self.lang]
        self.t = _translations(self.lang)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.babel)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.babel)  # whole percent: "23 %" / "23%"

    def quoted(self, label: str) -> str:
        return f"»{label}«" if self.lang == "da" else f"“{label}”"

    def join(self, parts: Sequence[str]) -> str:
        return format_list(list(parts), locale=self.babel)


def narrate(
    *,
    title: Mapping[str, str],
    no_theme: bool,
    count: int,
    total: int,
    ids: Sequence[str],
    parts: Sequence[Part],
    covered: int,
    negative: int,
    neutral: int,
    positive: int,
    found: Sequence[Difference],
    locale: str = "da",
) -> tuple[Claim, ...]:
    """Return the summary of one theme as claims in `locale`.

    `ids` are the theme's answer ids, most central first; `parts` its sub-topics, largest first
    (each counts the answers that use its words; an answer may use several), `covered` how many
    answers use at least one; `negative`/`neutral`/`positive` its tone split; `found` the group
    differences to state.
    """
    w = _Writer(locale)
    t = w.t
    name = title.get(w.lang) or title.get("da") or title.get("en") or ""
    evidence = tuple(ids[:EVIDENCE_IDS])
    claims = []
    values = {"count": w.number(count), "total": w.number(total),
              "share": w.percent(count / total if total else 0.0), "theme": w.quoted(name)}
    if no_theme:
        text = t.ngettext("%(count)s of %(total)s answer (%(share)s) fell under no theme.",
                          "%(count)s of %(total)s answers (%(share)s) fell under no theme.", total) % values
    else:
        text = t.ngettext("%(count)s of %(total)s answer (%(share)s) is about %(theme)s.",
                          "%(count)s of %(total)s answers (%(share)s) are about %(theme)s.", total) % values
    if count < SMALL_COUNT:
        text += " " + t.gettext("With so few answers, read what follows as an indication only.")
    claims.append(Claim(text, w.lang, evidence, count))
    if count == 0:
        return tuple(claims)

    if parts and count >= SMALL_COUNT:
        parts = parts[:LISTED_PARTS]
        listed = [f"{w.quoted(p.label)} ({w.percent(p.count / count)})" for p in parts]
        text = t.gettext("Within the theme, the answers mention above all %(parts)s.") % {"parts": w.join(listed)}
        rest = count - covered
        if rest:
            text += " " + t.ngettext("The other %(num)s answer mentions none of these.",
                                     "The other %(num)s answers mention none of these.", rest) % {"num": w.number(rest)}
        part_ids = tuple(i for p in parts for i in p.ids[:max(1, EVIDENCE_IDS // len(parts))])
        claims.append(Claim(text, w.lang, part_ids, covered))

    claims.append(Claim(_tone(w, count, negative, neutral, positive), w.lang, evidence, count))

    for d in found:
        if d.kind == "stakeholder" and d.key in STAKEHOLDER_GROUPS:
            group = t.gettext(STAKEHOLDER_GROUPS[d.key])
        else:
            group = d.name.get(w.lang) or d.name.get("da") or d.key
        values = {"group": group, "share": w.percent(d.share), "n": w.number(d.group_total),
                  "rest": w.percent(d.rest_share)}
        more = d.share > d.rest_share
        if d.kind == "municipality":
            sentences = {
                (True, False): t.gettext("The theme is more common in %(group)s (%(share)s of its %(n)s answers) "
                                         "than in the other municipalities (%(rest)s)."),
                (False, False): t.gettext("The theme is less common in %(group)s (%(share)s of its %(n)s answers) "
                                          "than in the other municipalities (%(rest)s)."),
                (True, True): t.gettext("The theme appears to be more common in %(group)s (%(share)s of its "
                                        "%(n)s answers) than in the other municipalities (%(rest)s)."),
                (False, True): t.gettext("The theme appears to be less common in %(group)s (%(share)s of its "
                                         "%(n)s answers) than in the other municipalities (%(rest)s)."),
            }
        else:
            sentences = {
                (True, False): t.gettext("Among %(group)s the theme is more common (%(share)s of %(n)s answers) "
                                         "than among the others (%(rest)s)."),
                (False, False): t.gettext("Among %(group)s the theme is less common (%(share)s of %(n)s answers) "
                                          "than among the others (%(rest)s)."),
                (True, True): t.gettext("Among %(group)s the theme appears to be more common (%(share)s of "
                                        "%(n)s answers) than among the others (%(rest)s)."),
                (False, True): t.gettext("Among %(group)s the theme appears to be less common (%(share)s of "
                                         "%(n)s answers) than among the others (%(rest)s)."),
            }
        claims.append(Claim(sentences[(more, d.hedged)] % values, w.lang, d.ids, d.inside))
    return tuple(claims)


def _tone(w: _Writer, count: int, negative: int, neutral: int, positive: int) -> str:
    """Return the sentence on the tone: shares with a leading tone when it holds more than half
    of the answers, or plain counts when the theme has too few answers for shares. It says the
    tone is scored automatically: the lexicon misreads sarcasm and request language."""
    t = w.t
    if count < SMALL_COUNT:
        return t.gettext("By tone, as scored automatically: negative %(negative)s, neutral %(neutral)s, "
                         "positive %(positive)s.") % {
            "negative": w.number(negative), "neutral": w.number(neutral), "positive": w.number(positive)}
    values = {"negative": w.percent(negative / count), "neutral": w.percent(neutral / count),
              "positive": w.percent(positive / count)}
    split = t.gettext("%(negative)s of the answers are negative, %(neutral)s neutral and %(positive)s positive.")
    tones = {"negative": negative, "neutral": neutral, "positive": positive}
    leading = [tone for tone, n in tones.items() if n / count > MOSTLY]
    if leading:
        opening = {
            "negative": t.gettext("As scored automatically, the tone is mostly negative:"),
            "neutral": t.gettext("As scored automatically, the tone is mostly neutral:"),
            "positive": t.gettext("As scored automatically, the tone is mostly positive:"),
        }[leading[0]]
    else:
        opening = t.gettext("As scored automatically, the tone is mixed:")
    return f"{opening} {split % values}"
