"""Measure theme classification against labelled answers.

`evaluate(records, analyser)` runs the full per-answer path (language, redaction, pipeline) on
records {"text", "themes": [...], "lang"?} and reports, overall and per language:
per-theme precision/recall/F1, micro and macro averages, top-1 accuracy (the highest-ranked theme
is one of the gold themes, over answers with at least one gold theme), coverage (the share of
those answers that get any theme at all) and no-theme accuracy (nothing predicted when the gold
is []). Records with a "source" are also reported per source.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engage.nlp.text import LANGUAGES


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "support": tp + fn, "predicted": tp + fp}


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}  # theme -> [tp, fp, fn]
        self.n = 0
        self.top1_hits = 0
        self.top1_total = 0
        self.covered = 0
        self.none_hits = 0
        self.none_total = 0
        self.exact = 0

    def add(self, gold: set[str], predicted: list[str]) -> None:
        self.n += 1
        pred = set(predicted)
        for theme in gold | pred:
            c = self.counts.setdefault(theme, [0, 0, 0])
            if theme in gold and theme in pred:
                c[0] += 1
            elif theme in pred:
                c[1] += 1
            else:
                c[2] += 1
        if gold:
            self.top1_total += 1
            self.top1_hits += bool(predicted) and predicted[0] in gold
            self.covered += bool(predicted)
        else:
            self.none_total += 1
            self.none_hits += not predicted
        self.exact += gold == pred

    def report(self, themes: list[str]) -> dict[str, Any]:
        per_theme = {t: _prf(*self.counts.get(t, [0, 0, 0])) for t in themes}
        tp = sum(c[0] for c in self.counts.values())
        fp = sum(c[1] for c in self.counts.values())
        fn = sum(c[2] for c in self.counts.values())
        micro = _prf(tp, fp, fn)
        with_support = [m for m in per_theme.values() if m["support"]]
        macro = {
            k: round(sum(m[k] for m in with_support) / len(with_support), 4) if with_support else 0.0
            for k in ("precision", "recall", "f1")
        }
        return {
            "n": self.n,
            "micro": micro,
            "macro": macro,
            "top1_accuracy": round(self.top1_hits / self.top1_total, 4) if self.top1_total else None,
            "coverage": round(self.covered / self.top1_total, 4) if self.top1_total else None,
            "no_theme_accuracy": round(self.none_hits / self.none_total, 4) if self.none_total else None,
            "exact_match": round(self.exact / self.n, 4) if self.n else None,
            "n_with_theme": self.top1_total,
            "n_no_theme": self.none_total,
            "per_theme": per_theme,
        }


def evaluate(records: Iterable[dict], analyser, batch_size: int = 256, refine: bool = False,
             adapt: bool = False) -> dict[str, Any]:
    """Return the evaluation report of `analyser` on labelled records (see module docstring);
    with `refine`, as the batch paths analyse (the sentence encoder has its say); with `adapt`
    as well, the records of one "source" (all records, when they have none) form one consultation
    that learns its own words (adapt.py; the labels are not used). A record whose "themes" is None
    is part of its consultation but not scored (an unlabelled answer of the same consultation)."""
    gold_and_lang: list[tuple[set[str] | None, str | None, str | None]] = []
    groups: list[str | None] = []

    def items():
        for rec in records:
            gold = None if rec.get("themes", ()) is None else set(rec.get("themes") or ())
            gold_and_lang.append((gold, rec.get("lang"), rec.get("source")))
            groups.append(rec.get("source"))
            yield rec["text"], rec.get("lang")

    overall = _Tally()
    per_lang: dict[str, _Tally] = {}
    per_source: dict[str, _Tally] = {}
    themes: set[str] = set()
    learned = None
    if adapt:
        analyses, learned = analyser.analyse_consultation(items(), batch_size=batch_size, groups=groups)
    else:
        analyses = analyser.analyse_many(items(), batch_size=batch_size, **({"refine": True} if refine else {}))
    for i, analysis in enumerate(analyses):
        gold, lang, source = gold_and_lang[i]
        if gold is None:
            continue
        predicted = [ts.theme for ts in analysis.themes]
        themes |= gold | set(predicted)
        overall.add(gold, predicted)
        per_lang.setdefault(lang or analysis.lang, _Tally()).add(gold, predicted)
        if source:
            per_source.setdefault(source, _Tally()).add(gold, predicted)
    ordered = sorted(themes)
    sources = {"sources": {name: tally.report(ordered) for name, tally in sorted(per_source.items())}} if per_source else {}
    return {
        "model_version": analyser.model_version,
        "refined": bool((refine or adapt) and getattr(analyser, "encoder_ready", lambda: False)()),
        "adapted": learned.as_dict() if learned else None,
        **overall.report(ordered),
        "languages": {
            lang: tally.report(ordered)
            for lang, tally in sorted(per_lang.items(), key=lambda kv: (kv[0] not in LANGUAGES, kv[0]))
        },
        **sources,
    }


def format_report(report: dict[str, Any]) -> str:
    """Return the report as a plain-text table (per theme, then the averages), per language."""
    lines = [f"model {report.get('model_version', '?')}"]
    sections = [("all", report)] + list(report.get("languages", {}).items())
    langs = [name for name, _ in sections]
    lines.append("")
    lines.append(f"{'theme':<15}" + "".join(f"{name + ' P/R/F1':>22}" for name in langs))
    for theme in report["per_theme"]:
        row = f"{theme:<15}"
        for _, sec in sections:
            m = sec["per_theme"].get(theme, {"precision": 0, "recall": 0, "f1": 0, "support": 0})
            row += f"{m['precision']:>8.2f}{m['recall']:>6.2f}{m['f1']:>6.2f}{'':>2}"
        lines.append(row)
    for label, key in (("micro", "micro"), ("macro", "macro")):
        row = f"{label:<15}"
        for _, sec in sections:
            m = sec[key]
            row += f"{m['precision']:>8.2f}{m['recall']:>6.2f}{m['f1']:>6.2f}{'':>2}"
        lines.append(row)
    for label, key in (("top-1 acc", "top1_accuracy"), ("coverage", "coverage"), ("no-theme acc", "no_theme_accuracy"),
                       ("exact match", "exact_match")):
        row = f"{label:<15}"
        for _, sec in sections:
            value = sec.get(key)
            row += f"{'-' if value is None else format(value, '.3f'):>20}{'':>2}"
        lines.append(row)
    row = f"{'answers':<15}"
    for _, sec in sections:
        row += f"{sec['n']:>20}{'':>2}"
    lines.append(row)
    return "\n".join(lines)
