"""Dashboard charts: the geometry in engage/dashboard/charts.py and the accessible macros that draw it."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

from engage.dashboard import charts
from engage.dashboard.charts import (
    HEAT_THRESHOLDS,
    INK,
    LIKERT_COLOURS,
    LINE_COLOURS,
    SENTIMENT_COLOURS,
    bar_chart,
    contrast_ratio,
    heat_class,
    heat_map,
    histogram,
    line_chart,
    nice_ticks,
    ranking_bars,
    stacked_bars,
    text_width,
)

TEMPLATES = Path(charts.__file__).parent / "templates"
CSS = Path(charts.__file__).parents[1] / "static" / "css" / "dashboard.css"
WHITE = "#FFFFFF"
EVIL = "<script>alert(1)</script>"


def approx(value: float) -> Any:
    """Return a pytest.approx tolerant of the rounding in chart coordinates."""
    return pytest.approx(value, abs=1e-6)


# --- Geometry -----------------------------------------------------------------------------------


def test_bar_widths_are_proportional_and_the_largest_spans_the_plot():
    """Bars are as long as their values relative to the largest, which fills the plot width."""
    chart = bar_chart([("Mobility", 0.2, 10), ("Climate", 0.5, 25), ("Health", 0.05, 3)])
    widths = [row.width for row in chart.rows]
    assert widths[1] == approx(chart.plot_width)
    assert widths[0] / widths[1] == approx(0.4)
    assert widths[2] / widths[1] == approx(0.1)
    assert [row.label for row in chart.rows] == ["Mobility", "Climate", "Health"]


def test_bar_values_sit_after_the_bar_and_inside_the_figure():
    """Each value label starts right of its bar, and even "100 %" fits in the viewBox."""
    chart = bar_chart([("A", 1.0, 3), ("B", 0.3, 1)])
    for row in chart.rows:
        assert row.value_x > row.x + row.width
        assert row.value_x + text_width("100 %", chart.font_size) <= chart.width
        assert row.y < row.value_y <= row.y + row.height + chart.font_size
    assert chart.rows[0].y + chart.rows[0].height < chart.rows[1].label_y - chart.font_size


def test_bar_chart_of_zeros_has_empty_bars():
    """All-zero (and negative) values give zero-width bars instead of a division error."""
    chart = bar_chart([("A", 0.0, 0), ("B", 0.0, 0), ("C", -0.2, 0)])
    assert [row.width for row in chart.rows] == [0.0, 0.0, 0.0]
    assert bar_chart([]).rows == ()


def test_long_labels_are_shortened_for_drawing_but_kept_in_full():
    """A label too long for the chart is drawn with an ellipsis; the full text stays for the table."""
    long = "Klima, energi og den grønne omstilling i hovedstadsregionen " * 3
    row = bar_chart([(long, 0.3, 3)]).rows[0]
    assert row.label == long
    assert row.text.endswith("…") and len(row.text) < len(long)
    assert text_width(row.text) <= charts.DEFAULT_WIDTH


def test_stacked_segments_divide_the_bar_in_proportion():
    """Segments are as wide as their shares, follow each other and end exactly at the bar's end."""
    chart = stacked_bars([("Mobility", [1, 2, 1])], ["Negative", "Neutral", "Positive"])
    segments = chart.rows[0].segments
    assert [s.width / chart.bar_width for s in segments] == [
        approx(0.25),
        approx(0.5),
        approx(0.25),
    ]
    assert [s.share for s in segments] == [0.25, 0.5, 0.25]
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.x == approx(before.x + before.width)
    assert segments[-1].x + segments[-1].width == approx(chart.x + chart.bar_width)


def test_stacked_row_without_answers_is_an_empty_bar():
    """A row whose counts add up to 0 is marked empty, with zero-width segments and no error."""
    chart = stacked_bars([("Nobody", [0, 0, 0]), ("Some", [0, 3, 0])], ["−", "0", "+"])
    empty, some = chart.rows
    assert empty.is_empty and empty.total == 0
    assert all(s.width == 0 and s.share == 0 and not s.show_text for s in empty.segments)
    assert not some.is_empty
    assert some.segments[1].width == approx(chart.bar_width)


def test_stacked_colours_default_to_sentiment_and_likert_scales():
    """Three segments get the sentiment colours, five the Likert colours; counts must match names."""
    three = stacked_bars([("A", [1, 1, 1])], ["neg", "neu", "pos"])
    five = stacked_bars([("Q", [1, 2, 3, 4, 5])], ["1", "2", "3", "4", "5"])
    assert tuple(item.colour for item in three.legend) == SENTIMENT_COLOURS
    assert tuple(s.colour for s in five.rows[0].segments) == LIKERT_COLOURS
    with pytest.raises(ValueError):
        stacked_bars([("A", [1, 2])], ["neg", "neu", "pos"])


def test_share_text_inside_segments_is_readable_and_only_where_it_fits():
    """Text on a segment has 4.5:1 contrast with its fill, and a sliver of a segment gets none."""
    chart = stacked_bars([("Q", [1, 40, 30, 20, 60])], [str(i) for i in range(1, 6)])
    segments = chart.rows[0].segments
    for segment in segments:
        assert contrast_ratio(segment.ink, segment.colour) >= 4.5
    assert not segments[0].show_text
    assert segments[-1].show_text


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.0, "heat-0"),
        (0.01, "heat-1"),
        (0.0999, "heat-1"),
        (0.10, "heat-2"),
        (0.20, "heat-3"),
        (0.349, "heat-3"),
        (0.35, "heat-4"),
        (0.50, "heat-5"),
        (1.0, "heat-5"),
    ],
)
def test_heat_buckets_follow_the_thresholds(share, expected):
    """A share falls in the bucket whose lower threshold it reaches; only exactly 0 is heat-0."""
    assert heat_class(share) == expected


def test_heat_map_shares_are_of_the_row_total_and_small_rows_are_suppressed():
    """Cells show count / row total; a row below the minimum, or with no answers, shows no shares."""
    chart = heat_map(
        ["København", "Bornholm", "Egedal"],
        ["Mobility", "Climate"],
        [[5, 2], [3, 1], [0, 0]],
        [10, 4, 0],
        min_count=5,
    )
    big, small, empty = chart.rows
    assert [c.share for c in big.cells] == [0.5, 0.2]
    assert [c.css_class for c in big.cells] == ["heat-5", "heat-3"]
    assert not big.suppressed
    for row in (small, empty):
        assert row.suppressed
        assert all(c.suppressed and c.share is None and c.css_class == "heat-na" for c in row.cells)
    assert chart.has_suppressed


def test_heat_map_row_at_the_minimum_is_shown():
    """A row with exactly `min_count` answers is not suppressed."""
    chart = heat_map(["A"], ["x"], [[1]], [5], min_count=5)
    assert not chart.rows[0].suppressed
    assert chart.rows[0].cells[0].share == 0.2
    assert not chart.has_suppressed


def test_heat_map_fits_its_width_with_slanted_headings():
    """Cells and the slanted column headings stay inside the viewBox, rows do not overlap."""
    themes = ["Mobilitet og transport", "Klima og grøn omstilling", "Sundhed", "Uddannelse"] * 2
    chart = heat_map(["København", "Høje-Taastrup"], themes, [[1] * 8, [2] * 8], [9, 9])
    last = chart.rows[0].cells[-1]
    assert last.x + last.width <= chart.width + 1e-6
    reach = math.cos(math.radians(45))
    for column in chart.columns:
        assert column.x + text_width(column.text, chart.font_size - 1) * reach <= chart.width + 1
        assert column.y - text_width(column.text, chart.font_size - 1) * reach >= 0
    first, second = chart.rows
    assert first.cells[0].y + first.cells[0].height <= second.cells[0].y + 1e-6
    assert chart.rows[0].cells[0].x >= chart.label_width


def test_heat_map_rejects_ragged_input():
    """Rows of cells must match the columns, and every row needs a total."""
    with pytest.raises(ValueError):
        heat_map(["A"], ["x", "y"], [[1]], [1])
    with pytest.raises(ValueError):
        heat_map(["A", "B"], ["x"], [[1], [2]], [1])


@pytest.mark.parametrize("top", [1, 7, 13, 99, 100, 1234, 0.42, 0.07, 3.3])
def test_y_ticks_are_round_numbers_covering_the_maximum(top):
    """Ticks start at 0, step by 1, 2, 2.5 or 5 × 10ⁿ and end at the first tick at or above the max."""
    ticks = nice_ticks(0, top)
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 2.5, 5}
    assert ticks[0] == 0
    assert ticks[-1] >= top > ticks[-2]
    assert 3 <= len(ticks) <= 11


def test_count_series_get_whole_number_ticks():
    """A line of counts is labelled with whole numbers, even when the counts are small."""
    chart = line_chart(["W1", "W2", "W3"], [("Answers", [1, 3, 2])])
    values = [tick.value for tick in chart.y_ticks]
    assert all(v == int(v) for v in values)
    assert values[0] == 0 and values[-1] >= 3


def test_line_points_land_on_the_axis_scale():
    """The first and last periods are at the plot's edges; 0 and the top tick at its bottom and top."""
    chart = line_chart(["Jan", "Feb", "Mar"], [("Answers", [0, 5, 10])])
    points = chart.series[0].points
    assert points[0].x == approx(chart.left) and points[-1].x == approx(chart.right)
    assert points[0].y == approx(chart.bottom)
    top_tick = chart.y_ticks[-1]
    assert top_tick.position == approx(chart.top)
    assert points[-1].y == approx(chart.bottom - (chart.bottom - chart.top) * 10 / top_tick.value)
    assert chart.series[0].polylines[0].count(",") == 3


def test_many_x_labels_are_thinned_evenly_keeping_the_latest():
    """52 weekly labels are thinned to a non-overlapping, evenly spaced set that ends with the last."""
    weeks = [f"Uge {n}" for n in range(1, 53)]
    chart = line_chart(weeks, [("Answers", list(range(52)))])
    shown = [i for i, x in enumerate(chart.x_labels) if x.shown]
    assert 2 <= len(shown) < 52
    assert shown[-1] == 51
    assert len({b - a for a, b in zip(shown, shown[1:], strict=False)}) == 1
    positions = [chart.x_labels[i].x for i in shown]
    widest = max(text_width(chart.x_labels[i].text, chart.font_size - 2) for i in shown)
    assert min(b - a for a, b in zip(positions, positions[1:], strict=False)) >= widest


def test_few_x_labels_are_all_shown():
    """Four monthly labels all fit, so none is thinned out."""
    chart = line_chart(["Jan", "Feb", "Mar", "Apr"], [("A", [1, 2, 3, 4])])
    assert all(x.shown for x in chart.x_labels)


def test_single_period_and_all_zero_series_still_render():
    """One period is a centred point; an all-zero series sits on a 0–1 axis at the bottom."""
    chart = line_chart(["Uge 1"], [("Answers", [0]), ("Positive", [0])])
    assert [tick.value for tick in chart.y_ticks] == [0, 1]
    for series in chart.series:
        (point,) = series.points
        assert point.x == approx((chart.left + chart.right) / 2)
        assert point.y == approx(chart.bottom)
        assert series.polylines == ()
    assert chart.x_labels[0].shown


def test_missing_values_leave_gaps_in_the_line():
    """A period without a value splits the line in two instead of drawing through it."""
    chart = line_chart(list("abcdef"), [("Share", [0.1, 0.2, None, 0.3, 0.4, 0.5])])
    series = chart.series[0]
    assert len(series.points) == 5
    assert len(series.polylines) == 2
    assert series.values[2] is None


def test_series_differ_by_colour_and_dash():
    """Every line in a chart has its own colour and dash pair, also beyond five lines."""
    chart = line_chart(["a", "b"], [(f"S{i}", [i, i + 1]) for i in range(8)])
    pairs = {(s.colour, s.dash) for s in chart.series}
    assert len(pairs) == 8


def test_histogram_heights_are_proportional_to_counts():
    """Bars stand on the axis and their heights are in the same ratios as their counts."""
    chart = histogram([(str(i), c) for i, c in enumerate([0, 5, 10, 20])])
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0
    assert heights[1] / heights[3] == approx(0.25)
    assert heights[2] / heights[3] == approx(0.5)
    assert all(bar.y + bar.height == approx(chart.bottom) for bar in chart.bars)
    assert chart.y_ticks[-1].value >= 20
    assert [bar.share for bar in chart.bars] == [
        0,
        approx(5 / 35),
        approx(10 / 35),
        approx(20 / 35),
    ]
    assert chart.total == 35


def test_histogram_without_answers_is_flat():
    """A scale question nobody answered gives zero-height bars and zero shares, no error."""
    chart = histogram([(str(i), 0) for i in range(11)])
    assert all(bar.height == 0 and bar.share == 0 for bar in chart.bars)
    assert len(chart.bars) == 11 and all(bar.shown for bar in chart.bars)


def test_ranking_is_sorted_best_first_on_a_shared_scale():
    """Options are ordered by average rank (lowest first), unranked ones last, dots left for better."""
    chart = ranking_bars(
        [("Bus", 2.5, 10), ("Unranked", 0.0, 0), ("Metro", 1.2, 12), ("Bike", 3.0, 9)]
    )
    assert [row.label for row in chart.rows] == ["Metro", "Bus", "Bike", "Unranked"]
    assert [row.place for row in chart.rows] == [1, 2, 3, 4]
    assert chart.max_rank == 4
    metro, bus, bike, _ = chart.rows
    assert chart.left < metro.x < bus.x < bike.x < chart.right
    assert (bus.x - chart.left) / (chart.right - chart.left) == approx(1.5 / 3)
    assert chart.ticks[0].position == approx(chart.left)
    assert chart.ticks[-1].position == approx(chart.right)


def test_palette_meets_the_contrast_rules():
    """Text colours have 4.5:1 on white, lines and other thin marks 3:1."""
    assert contrast_ratio("#000000", WHITE) == approx(21)
    assert contrast_ratio(WHITE, WHITE) == approx(1)
    assert contrast_ratio("#E69F00", WHITE) < 3  # Okabe–Ito orange: a fill, never a line
    for colour in (INK.text, INK.muted):
        assert contrast_ratio(colour, WHITE) >= 4.5
    for colour in (INK.axis, INK.grid, INK.track, charts.BAR_COLOUR, *LINE_COLOURS):
        assert contrast_ratio(colour, WHITE) >= 3
    assert set(LINE_COLOURS) <= set(charts.OKABE_ITO)


def test_heat_map_css_defines_every_bucket_with_readable_text():
    """dashboard.css colours heat-0 … heat-5 and heat-na, with 4.5:1 between each text and fill."""
    css = CSS.read_text(encoding="utf-8")
    for bucket in [f"heat-{i}" for i in range(len(HEAT_THRESHOLDS) + 2)] + ["heat-na"]:
        fill = re.search(rf"\.{bucket} rect \{{[^}}]*fill: (#[0-9a-fA-F]{{6}})", css)
        ink = re.search(rf"\.{bucket} text \{{[^}}]*fill: (#[0-9a-fA-F]{{6}})", css)
        assert fill and ink, bucket
        assert contrast_ratio(fill.group(1), ink.group(1)) >= 4.5, bucket


# --- Rendering ----------------------------------------------------------------------------------


def fake_percent(value: float, format: str | None = None) -> str:
    """Format a share the way a test can recognise (Babel's own output depends on the locale)."""
    return f"P{value:.3f}"


def fake_decimal(value: float, format: str | None = None) -> str:
    """Format a number the way a test can recognise."""
    return f"D{value:g}"


def make_env(formatters: bool = True) -> Environment:
    """Return a plain Jinja environment like Flask's: autoescaping, i18n and the number formatters."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"], autoescape=True
    )
    env.install_null_translations(newstyle=True)
    if formatters:
        env.globals.update(format_percent=fake_percent, format_decimal=fake_decimal)
    return env


@pytest.fixture(scope="module")
def env() -> Environment:
    """Return the shared test environment (with null translations)."""
    return make_env()


def render(env: Environment, macro: str, *args: Any, **kwargs: Any) -> str:
    """Return the output of one macro of dashboard/_charts.html."""
    module = env.get_template("dashboard/_charts.html").module
    return str(getattr(module, macro)(*args, **kwargs))


def parse(markup: str) -> ET.Element:
    """Parse rendered markup as XML under one root (it must be well-formed to parse at all)."""
    root = ET.fromstring(f"<root>{markup}</root>")
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # drop the SVG namespace
    return root


def one(root: ET.Element, path: str) -> ET.Element:
    """Return the single element at `path`, failing if there is none or more than one."""
    found = root.findall(path)
    assert len(found) == 1, f"{len(found)} × {path}"
    return found[0]


THEMES = [("Mobility", 0.4, 8), ("Climate", 0.25, 5), (EVIL, 0.1, 2)]
CHARTS: dict[str, tuple[Callable[[], Any], int]] = {
    # macro: (chart factory, number of table rows expected)
    "bar_chart": (lambda: bar_chart(THEMES), 3),
    "stacked_bars": (
        lambda: stacked_bars(
            [("Mobility", [3, 4, 5]), (EVIL, [0, 0, 0]), ("Health", [1, 0, 9]), ("X", [2, 2, 2])],
            ["Negative", "Neutral", "Positive"],
        ),
        4,
    ),
    "heat_map": (
        lambda: heat_map(
            ["Egedal", EVIL], ["Mobility", "Climate", "Health"], [[3, 4, 1], [1, 0, 0]], [9, 2]
        ),
        2,
    ),
    "line_chart": (
        lambda: line_chart(
            ["Jan", "Feb", "Mar", "Apr", "May"],
            [("Answers", [3, 5, None, 8, 2]), (EVIL, [1, 1, 1, 1, 1])],
        ),
        5,
    ),
    "histogram": (lambda: histogram([(str(i), i * 2) for i in range(11)] + [(EVIL, 1)]), 12),
    "ranking_bars": (
        lambda: ranking_bars([("Metro", 1.5, 10), (EVIL, 2.5, 10), ("Bus", 2.0, 9)]),
        3,
    ),
}


@pytest.fixture(params=sorted(CHARTS))
def rendered(request: pytest.FixtureRequest, env: Environment) -> tuple[str, str, ET.Element]:
    """Return (macro name, raw output, parsed tree) for each chart macro."""
    factory, _ = CHARTS[request.param]
    markup = render(env, request.param, "c1", factory(), "Chart title")
    return request.param, markup, parse(markup)


def test_svg_is_an_image_named_by_its_title(rendered):
    """The SVG has role=img and aria-labelledby/-describedby pointing at its own title and desc."""
    _, _, root = rendered
    svg = one(root, "./figure/svg")
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert svg.get("role") == "img"
    labelled, described = svg.get("aria-labelledby", ""), svg.get("aria-describedby", "")
    assert labelled and described
    for ref in labelled.split() + described.split():
        assert ref in ids
    title = one(svg, "./title")
    assert title.get("id") == labelled and title.text == "Chart title"
    desc = one(svg, "./desc")
    assert desc.get("id") == described and len(desc.text or "") > 10
    assert svg.get("viewBox", "").startswith("0 0 ")
    assert svg.get("width") is None  # sized by CSS so it scales down on a phone


def test_figure_has_caption_svg_and_table_behind_a_summary(rendered):
    """A figure holds its caption, then the SVG, then the table inside <details><summary>."""
    _, _, root = rendered
    figure = one(root, "./figure")
    assert one(figure, "./figcaption").text == "Chart title"
    children = [child.tag for child in figure]
    assert children.index("svg") < children.index("details")
    details = one(figure, "./details")
    assert "".join(one(details, "./summary").itertext()).strip() == "Show the numbers as a table"
    table = one(details, ".//table")
    assert one(table, "./caption").text == "Chart title"


def test_table_has_a_row_per_item_and_scoped_headers(rendered):
    """The table has one body row per item, each led by a row header; every th has a scope."""
    macro, _, root = rendered
    table = one(root, ".//table")
    body_rows = table.findall("./tbody/tr")
    assert len(body_rows) == CHARTS[macro][1]
    for row in body_rows:
        assert row[0].tag == "th" and row[0].get("scope") == "row"
    assert table.findall("./thead/tr/th")
    for th in table.iter("th"):
        assert th.get("scope") in {"row", "col"}


def test_markup_obeys_the_content_security_policy(rendered):
    """No inline styles, style or script elements, or event-handler attributes anywhere."""
    _, markup, root = rendered
    for element in root.iter():
        assert element.tag not in {"style", "script"}
        assert "style" not in element.attrib, element.tag
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    assert "javascript:" not in markup


def test_labels_are_escaped(rendered):
    """A label containing <script> is shown as text, never as markup."""
    _, markup, root = rendered
    assert "<script" not in markup
    assert "&lt;script&gt;" in markup
    assert any(EVIL in "".join(e.itertext()) for e in root.iter("th"))


def backdrop(text: ET.Element, siblings: list[ET.Element]) -> str:
    """Return the fill of the sibling rect that `text` is drawn on, else white."""
    x, y = float(text.get("x", 0)), float(text.get("y", 0))
    for rect in siblings:
        if rect.tag != "rect" or rect.get("fill") in (None, "none"):
            continue
        left, top = float(rect.get("x", 0)), float(rect.get("y", 0))
        if left <= x <= left + float(rect.get("width")) and top <= y <= top + float(
            rect.get("height")
        ):
            return rect.get("fill")
    return WHITE


def test_text_and_line_colours_meet_contrast(rendered):
    """Coloured text has 4.5:1 on whatever it is drawn on, lines 3:1 on white."""
    _, _, root = rendered
    checked = 0
    for parent in root.iter():
        siblings = list(parent)
        for element in siblings:
            if element.tag == "text" and element.get("fill"):
                assert contrast_ratio(element.get("fill"), backdrop(element, siblings)) >= 4.5
                checked += 1
            if element.tag in {"line", "polyline"}:
                assert contrast_ratio(element.get("stroke"), WHITE) >= 3
    assert checked


def test_numbers_are_formatted_with_the_babel_helpers(env):
    """Shares go through format_percent and counts through format_decimal, in SVG and table."""
    root = parse(render(env, "bar_chart", "t", bar_chart([("Mobility", 0.375, 12)]), "Themes"))
    cells = [td.text for td in root.iter("td")]
    assert cells == ["P0.375", "D12"]
    assert "P0.375" in [t.text for t in root.iter("text")]


def test_fixed_text_goes_through_gettext():
    """The macros' own words are looked up through gettext, so the catalogue can translate them."""
    danish = {"Show the numbers as a table": "Vis tallene som tabel", "Answers": "Svar"}
    local = make_env()
    local.install_gettext_callables(
        lambda s: danish.get(s, s), lambda s, p, n: danish.get(s if n == 1 else p, p), newstyle=True
    )
    root = parse(
        render(local, "stacked_bars", "s", stacked_bars([("A", [1, 2])], ["Nej", "Ja"]), "T")
    )
    assert "".join(one(root, ".//summary").itertext()).strip() == "Vis tallene som tabel"
    assert [th.text for th in root.findall(".//thead/tr/th")][-1] == "Svar"


def test_id_prefix_keeps_ids_unique_across_charts(env):
    """Two charts on one page share no id, and each SVG points at its own title."""
    chart = bar_chart(THEMES)
    root = parse(
        render(env, "bar_chart", "first", chart, "A")
        + render(env, "bar_chart", "second", chart, "B")
    )
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    first, second = root.findall(".//svg")
    assert first.get("aria-labelledby").startswith("first-")
    assert second.get("aria-labelledby").startswith("second-")


def test_heat_map_suppressed_rows_show_no_shares(env):
    """A suppressed row's SVG cells are heat-na with a dash, and its table row says why instead of shares."""
    chart = heat_map(
        ["Egedal", "Bornholm"], ["Mobility", "Climate"], [[3, 4], [1, 2]], [9, 3], min_count=5
    )
    root = parse(render(env, "heat_map", "h", chart, "Municipality × theme"))
    svg = one(root, ".//svg[@role='img']")
    svg_cells = [g for g in svg.iter("g") if "heat-cell" in (g.get("class") or "")]
    classes = [g.get("class").split()[1] for g in svg_cells]
    assert len(classes) == 4
    assert classes[:2] == ["heat-3", "heat-4"]
    assert classes[2:4] == ["heat-na", "heat-na"]
    assert [g.find("text").text for g in svg_cells[2:4]] == ["–", "–"]
    shown, hidden = root.findall(".//tbody/tr")
    assert [td.text for td in shown.findall("td")] == ["P0.333", "P0.444", "D9"]
    note, total = hidden.findall("td")
    assert note.get("colspan") == "2" and "P" not in note.text and "5" in note.text
    assert total.text == "D3"


def test_line_chart_table_shows_gaps_and_percent_formatting(env):
    """A missing value is a dash in the table, and percent=True formats values as shares."""
    chart = line_chart(["Jan", "Feb"], [("Share", [0.25, None])])
    root = parse(render(env, "line_chart", "l", chart, "Trend", percent=True))
    assert [tr.find("td").text for tr in root.findall(".//tbody/tr")] == ["P0.250", "–"]
    assert len(root.findall(".//circle")) == 1 + 1  # one point, plus the legend's marker


def test_empty_chart_says_so_without_an_empty_table(env):
    """A chart with nothing to show keeps its caption and says there are no answers yet."""
    root = parse(render(env, "bar_chart", "e", bar_chart([]), "Themes"))
    assert one(root, ".//figcaption").text == "Themes"
    assert one(root, ".//p").text == "No answers yet."
    assert root.find(".//svg") is None and root.find(".//table") is None


def test_macros_work_when_imported_with_context():
    """Imported `with context`, the macros find the formatters in the page context, as in Flask."""
    page = make_env(formatters=False).from_string(
        '{% import "dashboard/_charts.html" as charts with context %}'
        '{{ charts.histogram("h", chart, "Scale") }}'
    )
    markup = page.render(
        chart=histogram([("0", 1), ("1", 3)]),
        format_percent=fake_percent,
        format_decimal=fake_decimal,
    )
    assert [td.text for td in parse(markup).findall(".//tbody/tr/td")] == [
        "D1",
        "P0.250",
        "D3",
        "P0.750",
    ]
