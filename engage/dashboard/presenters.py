"""Turn a summary snapshot's data into the charts the summaries page draws, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from engage.dashboard import charts
from engage.dashboard.labels import SENTIMENT_NAMES
from engage.nlp.summarise import NONE, title_in
from engage.surveys.kinds import LIKERT_LABELS, STAKEHOLDER_TYPES

#: Themes drawn as trend lines (the rest are in the table).
TREND_THEMES = 5


def title(theme: Mapping[str, Any], lang: str) -> str:
    """Return a theme's title in `lang` (falling back to the other language)."""
    return title_in(theme.get("title") or {}, lang) or str(theme.get("theme", ""))


def theme_shares(themes: Sequence[Mapping[str, Any]], lang: str) -> charts.BarChart:
    """Return the bar chart of each theme's share of the answers (no-theme last)."""
    ordered = [t for t in themes if t["theme"] != NONE] + [t for t in themes if t["theme"] == NONE]
    return charts.bar_chart([(title(t, lang), t["share"], t["count"]) for t in ordered])


def sentiment_by_theme(themes: Sequence[Mapping[str, Any]], lang: str) -> charts.StackedChart:
    """Return the stacked bars of negative / neutral / positive answers per theme."""
    rows = [(title(t, lang), [t["sentiment"]["negative"], t["sentiment"]["neutral"], t["sentiment"]["positive"]])
            for t in themes if t["theme"] != NONE]
    names = [str(SENTIMENT_NAMES[k]) for k in ("negative", "neutral", "positive")]
    return charts.stacked_bars(rows, names, colours=charts.SENTIMENT_COLOURS)


def municipality_heat(data: Mapping[str, Any], municipalities: Sequence[Any], lang: str,
                      min_count: int) -> charts.HeatMap:
    """Return the municipality × theme heat map (rows with too few answers are withheld)."""
    matrix = data.get("matrix", {})
    themes = [t for t in data.get("themes", []) if t["theme"] != NONE]
    rows = [m for m in municipalities if m.slug in matrix]
    cells = [[matrix[m.slug]["themes"].get(t["theme"], 0) for t in themes] for m in rows]
    totals = [matrix[m.slug]["total"] for m in rows]
    labels = [m.name_da if lang == "da" else m.name_en for m in rows]
    return charts.heat_map(labels, [title(t, lang) for t in themes], cells, totals, min_count)


def trend(data: Mapping[str, Any], lang: str) -> charts.LineChart:
    """Return the trend of the largest themes' shares of each period's answers."""
    trend = data.get("trend") or {}
    periods, totals = trend.get("periods", []), trend.get("totals", [])
    by_slug = {t["theme"]: t for t in data.get("themes", [])}
    largest = [t["theme"] for t in data.get("themes", []) if t["theme"] != NONE][:TREND_THEMES]
    series = []
    for slug in largest:
        counts = trend.get("themes", {}).get(slug, [0] * len(periods))
        series.append((title(by_slug[slug], lang),
                       [(c / n if n else None) for c, n in zip(counts, totals, strict=False)]))
    return charts.line_chart(periods, series)


def question_chart(result: Mapping[str, Any], lang: str) -> tuple[str, Any]:
    """Return (macro name, chart) for one closed question's results."""
    options = {o["key"]: (o.get(lang) or o.get("da") or o["key"]) for o in result.get("options", [])}
    counts = result.get("counts", {})
    kind = result["kind"]
    if kind == "likert":
        row = [counts.get(str(k), 0) for k in range(1, 6)]
        names = [str(LIKERT_LABELS[str(k)]) for k in range(1, 6)]
        return "stacked_bars", charts.stacked_bars([(_("All answers"), row)], names)
    if kind == "scale":
        settings = result.get("settings", {})
        low, high = int(settings.get("min", 0)), int(settings.get("max", 10))
        return "histogram", charts.histogram([(str(v), counts.get(str(v), 0)) for v in range(low, high + 1)])
    if kind == "ranking":
        ranks = result.get("mean_rank", {})
        n = result.get("ranked_by", {})
        items = [(options.get(k, k), ranks[k], n.get(k, 0)) for k in ranks]
        return "ranking_bars", charts.ranking_bars(items, max_rank=len(options) or None)
    answered = result.get("answered") or 0
    if kind == "stakeholder_type":
        options = {k: str(v) for k, v in STAKEHOLDER_TYPES.items()}
    elif kind == "municipality":
        from engage.surveys.services import OTHER_MUNICIPALITY, municipality_names

        options = {slug: names[0] if lang == "da" else names[1]
                   for slug, names in sorted(municipality_names().items()) if slug in counts}
        options[OTHER_MUNICIPALITY] = _("Other municipality / none")
    elif kind == "consent":
        options = {"yes": _("Yes"), "no": _("No")}
    keys = list(options) + [k for k in counts if k not in options]
    items = [(options.get(k, k), (counts.get(k, 0) / answered) if answered else 0.0, counts.get(k, 0))
             for k in keys if counts.get(k, 0) or k in options]
    return "bar_chart", charts.bar_chart(items)
