"""Chart geometry for the staff dashboard: numbers in, SVG coordinates out.

A pure module: no Flask, no database. Each function takes plain numbers and already translated
labels and returns a frozen dataclass that `dashboard/_charts.html` draws as an inline SVG with a
data table beside it. Coordinates are in the SVG's viewBox units (the figure scales with CSS), so
the server never needs to know the screen size. Text cannot be measured on the server; widths are
estimated from the number of characters and long labels are shortened with an ellipsis (the table
always has them in full).

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness. Colours used for text have at least 4.5:1 contrast on white and colours used for
lines and other thin marks at least 3:1; wide fills (bars, segments) carry their values as text or
in the table too, so colour is never the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

# Okabe & Ito (2008), "Color Universal Design".
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)
#: The neutral middle of diverging scales (not an Okabe–Ito colour, but safe beside them).
NEUTRAL_GREY = "#BBBBBB"
WHITE = "#FFFFFF"

#: Fill of single-series bars (5.2:1 on white).
BAR_COLOUR = BLUE
#: Categorical fills, in the order a new segment takes them.
CATEGORICAL = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, REDDISH_PURPLE, YELLOW, BLACK)
#: Line colours: only the Okabe–Ito colours with at least 3:1 on white (lines are thin marks).
LINE_COLOURS = (BLUE, VERMILLION, BLUISH_GREEN, REDDISH_PURPLE, BLACK)
#: Dash patterns paired with LINE_COLOURS, so series differ by more than colour.
LINE_DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2")
#: Negative, neutral, positive.
SENTIMENT_COLOURS = (VERMILLION, NEUTRAL_GREY, BLUE)
#: Strongly disagree … strongly agree.
LIKERT_COLOURS = (VERMILLION, ORANGE, NEUTRAL_GREY, SKY_BLUE, BLUE)
#: Default fills for ordered scales of 2–5 steps, negative end first.
DIVERGING = {
    2: (VERMILLION, BLUE),
    3: SENTIMENT_COLOURS,
    4: (VERMILLION, ORANGE, SKY_BLUE, BLUE),
    5: LIKERT_COLOURS,
}

#: Heat-map buckets: heat-0 is exactly 0; heat-1 is below the first threshold, heat-2 below the
#: second … heat-5 at or above the last. Shares within a municipality rarely pass 50 %, so the
#: steps are finer at the low end.
HEAT_THRESHOLDS = (0.10, 0.20, 0.35, 0.50)
HEAT_NA = "heat-na"

#: Average glyph width as a share of the font size, for estimating text widths.
CHAR_WIDTH = 0.56
FONT_SIZE = 15.0
DEFAULT_WIDTH = 520.0


@dataclass(frozen=True)
class Ink:
    """The neutral colours every chart draws its text, axes and gridlines with."""

    text: str = "#1A1A1A"  # labels and values: 17:1 on white
    muted: str = "#595959"  # tick labels and notes: 7:1
    axis: str = "#595959"  # axis lines: 7:1
    grid: str = "#8C8C8C"  # gridlines: 3.4:1 (a thin mark)
    track: str = "#767676"  # outline of an empty bar, ranking tracks: 4.5:1


INK = Ink()


def relative_luminance(colour: str) -> float:
    """Return the WCAG 2 relative luminance of a `#RRGGBB` colour."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected #RRGGBB, got {colour!r}")
    channels = []
    for i in (0, 2, 4):
        c = int(value[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """Return the WCAG 2 contrast ratio (1–21) between two `#RRGGBB` colours."""
    a, b = relative_luminance(first), relative_luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def ink_on(fill: str) -> str:
    """Return black or white, whichever reads better as text on `fill`."""
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """Estimate the drawn width of `text` in viewBox units."""
    return len(text) * font_size * CHAR_WIDTH


def fit_text(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """Return `text` shortened with an ellipsis so that it fits in about `max_width` units."""
    max_chars = int(max_width / (font_size * CHAR_WIDTH))
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return "…"
    return text[: max_chars - 1].rstrip() + "…"


def plain(label: object) -> str:
    """Return a label as plain text; markup (e.g. a language-fallback span) is stripped."""
    if isinstance(label, Markup):
        return label.striptags()
    return str(label)


def nice_step(raw: float, integer: bool = False) -> float:
    """Return the smallest 1, 2, 2.5 or 5 × 10ⁿ step at least `raw` (whole numbers if `integer`)."""
    if raw <= 0:
        return 1.0
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    mantissas = (1.0, 2.0, 5.0, 10.0) if integer and exponent <= 0 else (1.0, 2.0, 2.5, 5.0, 10.0)
    for mantissa in mantissas:
        # The tolerance keeps 0.3 / 0.1 from becoming 0.5 because of binary fractions.
        if mantissa * base >= raw * (1 - 1e-9):
            step = mantissa * base
            break
    if integer:
        step = max(1.0, round(step))
    return step


def nice_ticks(
    low: float, high: float, target: int = 5, integer: bool = False
) -> tuple[float, ...]:
    """Return round, evenly spaced tick values from at most `low` to at least `high`.

    The range always includes 0 and never collapses: with nothing to show it is 0–1.
    """
    low, high = min(low, high, 0.0), max(low, high, 0.0)
    if high == low:
        high = 1.0
    step = nice_step((high - low) / max(1, target), integer)
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return tuple(_clean(i * step) for i in range(first, last + 1))


def _clean(value: float) -> float:
    """Return `value` without binary noise (0.30000000000000004 → 0.3)."""
    return round(value, 10) + 0.0


def thin_labels(count: int, available: float, label_width: float) -> tuple[bool, ...]:
    """Return which of `count` evenly spaced labels to show so they do not overlap.

    Every k-th label is shown, counted back from the last one (the latest period matters most).
    """
    if count <= 0:
        return ()
    # The tolerance keeps an exact fit (11 labels in 11 slots) from losing one to rounding.
    capacity = max(1, int(available / max(label_width, 1.0) + 1e-9))
    step = max(1, math.ceil(count / capacity))
    return tuple((count - 1 - i) % step == 0 for i in range(count))


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    """Map `value` from the range low–high onto the coordinate range start–end."""
    if high == low:
        return start
    return start + (value - low) / (high - low) * (end - start)


@dataclass(frozen=True)
class Tick:
    """An axis tick: the value it marks and its coordinate along the axis."""

    value: float
    position: float


@dataclass(frozen=True)
class LegendItem:
    """A legend entry: a name and how its marks are drawn."""

    name: str
    colour: str
    dash: str = ""


# --- Horizontal bars ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BarRow:
    """One labelled bar. The label sits above the bar, the value just right of its end."""

    label: str  # in full, for the table and the tooltip
    text: str  # as drawn, shortened to fit
    value: float
    count: int
    x: float
    y: float
    width: float
    height: float
    label_y: float  # baseline of the label
    value_x: float  # start of the value text
    value_y: float  # baseline of the value text


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars scaled so the largest value spans the plot width."""

    width: float
    height: float
    font_size: float
    plot_width: float
    max_value: float
    colour: str
    rows: tuple[BarRow, ...]
    ink: Ink = field(default=INK)


def bar_chart(
    items: Sequence[tuple[object, float, int]],
    *,
    width: float = DEFAULT_WIDTH,
    bar_height: float = 18.0,
    gap: float = 12.0,
    font_size: float = FONT_SIZE,
    colour: str = BAR_COLOUR,
) -> BarChart:
    """Lay out horizontal bars for (label, value, count) items, e.g. theme shares from 0 to 1.

    Bars keep the given order. Negative values are drawn as empty bars.
    """
    value_gutter = text_width("100 %", font_size) + 10
    plot_width = width - value_gutter
    max_value = max((max(0.0, float(v)) for _, v, _ in items), default=0.0)
    row_height = font_size + 4 + bar_height + gap
    rows = []
    for i, (label, value, count) in enumerate(items):
        top = i * row_height
        bar_y = top + font_size + 4
        bar_width = _scale(max(0.0, float(value)), 0.0, max_value, 0.0, plot_width)
        full = plain(label)
        rows.append(
            BarRow(
                label=full,
                text=fit_text(full, width, font_size),
                value=float(value),
                count=int(count),
                x=0.0,
                y=bar_y,
                width=bar_width,
                height=bar_height,
                label_y=top + font_size,
                value_x=bar_width + 6,
                value_y=bar_y + bar_height / 2 + font_size * 0.35,
            )
        )
    height = len(rows) * row_height - gap if rows else font_size * 2
    return BarChart(width, height, font_size, plot_width, max_value, colour, tuple(rows))


# --- 100 % stacked bars ------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar; its share is drawn inside when there is room."""

    name: str
    count: int
    share: float
    x: float
    width: float
    colour: str
    ink: str  # text colour on this fill
    text_x: float  # centre of the share text
    show_text: bool


@dataclass(frozen=True)
class StackedRow:
    """One 100 % bar with its label above it. A row without answers has no segments drawn."""

    label: str
    text: str
    total: int
    y: float
    height: float
    label_y: float
    text_y: float  # baseline of the share texts inside the bar
    segments: tuple[Segment, ...]

    @property
    def is_empty(self) -> bool:
        """Return whether the row has no answers (the bar is drawn as an empty outline)."""
        return self.total <= 0


@dataclass(frozen=True)
class StackedChart:
    """100 % stacked horizontal bars, e.g. sentiment by theme or a Likert distribution."""

    width: float
    height: float
    font_size: float
    x: float
    bar_width: float
    segment_names: tuple[str, ...]
    legend: tuple[LegendItem, ...]
    rows: tuple[StackedRow, ...]
    ink: Ink = field(default=INK)


def stacked_bars(
    rows: Sequence[tuple[object, Sequence[int]]],
    segment_names: Sequence[object],
    *,
    colours: Sequence[str] | None = None,
    width: float = DEFAULT_WIDTH,
    bar_height: float = 22.0,
    gap: float = 12.0,
    font_size: float = FONT_SIZE,
) -> StackedChart:
    """Lay out 100 % stacked bars for (label, [count per segment]) rows.

    Colours default to a diverging scale for 2–5 ordered segments (negative end first), else the
    categorical palette. A row whose counts add up to 0 gets empty segments, never a division by 0.
    """
    names = tuple(plain(n) for n in segment_names)
    if colours is None:
        colours = DIVERGING.get(len(names)) or tuple(
            CATEGORICAL[i % len(CATEGORICAL)] for i in range(len(names))
        )
    if len(colours) < len(names):
        raise ValueError("stacked_bars needs a colour for every segment")
    inside_font = font_size - 2
    min_text_width = text_width("100 %", inside_font) + 6
    row_height = font_size + 4 + bar_height + gap
    laid_out = []
    for i, (label, counts) in enumerate(rows):
        if len(counts) != len(names):
            raise ValueError(f"row {i} has {len(counts)} counts for {len(names)} segments")
        counts = [max(0, int(c)) for c in counts]
        total = sum(counts)
        top = i * row_height
        bar_y = top + font_size + 4
        segments = []
        running = 0
        for name, count, colour in zip(names, counts, colours, strict=False):
            # Edges come from running totals so the last segment ends exactly at the bar's end.
            start = _scale(running, 0, total, 0.0, width) if total else 0.0
            running += count
            end = _scale(running, 0, total, 0.0, width) if total else 0.0
            segments.append(
                Segment(
                    name=name,
                    count=count,
                    share=count / total if total else 0.0,
                    x=start,
                    width=end - start,
                    colour=colour,
                    ink=ink_on(colour),
                    text_x=(start + end) / 2,
                    show_text=end - start >= min_text_width,
                )
            )
        full = plain(label)
        laid_out.append(
            StackedRow(
                label=full,
                text=fit_text(full, width, font_size),
                total=total,
                y=bar_y,
                height=bar_height,
                label_y=top + font_size,
                text_y=bar_y + bar_height / 2 + inside_font * 0.35,
                segments=tuple(segments),
            )
        )
    height = len(laid_out) * row_height - gap if laid_out else font_size * 2
    legend = tuple(LegendItem(n, c) for n, c in zip(names, colours, strict=False))
    return StackedChart(width, height, font_size, 0.0, width, names, legend, tuple(laid_out))


# --- Heat map ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    """One cell: its count, its share of the row total and the CSS class of its bucket."""

    count: int
    share: float | None  # None when suppressed
    css_class: str  # heat-0 … heat-5, or heat-na
    suppressed: bool
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    show_text: bool


@dataclass(frozen=True)
class HeatRow:
    """A row (e.g. a municipality) with its total; below the minimum, all its cells are hidden."""

    label: str
    text: str
    total: int
    suppressed: bool
    label_y: float
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class HeatColumn:
    """A column heading (e.g. a theme), drawn slanted above its column."""

    label: str
    text: str
    x: float
    y: float
    transform: str  # SVG rotate() about the text's anchor


@dataclass(frozen=True)
class HeatBucket:
    """A legend entry: the CSS class and the share range it stands for (None: open end)."""

    css_class: str
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class HeatMap:
    """Rows × columns of shares, bucketed into CSS classes, small rows suppressed."""

    width: float
    height: float
    font_size: float
    label_width: float
    min_count: int
    columns: tuple[HeatColumn, ...]
    rows: tuple[HeatRow, ...]
    legend: tuple[HeatBucket, ...]
    ink: Ink = field(default=INK)

    @property
    def has_suppressed(self) -> bool:
        """Return whether any row is hidden for having too few answers."""
        return any(row.suppressed for row in self.rows)


def heat_class(share: float, thresholds: Sequence[float] = HEAT_THRESHOLDS) -> str:
    """Return the CSS class `heat-0` … `heat-5` for a share from 0 to 1."""
    if share <= 0:
        return "heat-0"
    bucket = 1 + sum(1 for t in thresholds if share >= t)
    return f"heat-{bucket}"


def heat_buckets(thresholds: Sequence[float] = HEAT_THRESHOLDS) -> tuple[HeatBucket, ...]:
    """Return the legend of `heat_class`: 0, below the first threshold, …, at or above the last."""
    edges: list[float | None] = [None, *thresholds, None]
    buckets = [HeatBucket("heat-0", 0.0, 0.0)]
    for i in range(len(thresholds) + 1):
        buckets.append(HeatBucket(f"heat-{i + 1}", edges[i], edges[i + 1]))
    return tuple(buckets)


def heat_map(
    row_labels: Sequence[object],
    col_labels: Sequence[object],
    cells: Sequence[Sequence[int]],
    totals: Sequence[int],
    min_count: int = 5,
    *,
    thresholds: Sequence[float] = HEAT_THRESHOLDS,
    width: float = DEFAULT_WIDTH,
    cell_height: float = 30.0,
    font_size: float = FONT_SIZE,
) -> HeatMap:
    """Lay out a heat map of counts, e.g. municipality × theme, as shares of each row's total.

    `totals[r]` is the number of answers in row r (an answer may count in several columns, so
    shares need not add up to 100 %). A row whose total is below `min_count`, or 0, is suppressed:
    its cells show no share and get the class `heat-na`.
    """
    if len(thresholds) != 4:
        raise ValueError("heat_map needs four thresholds (six buckets heat-0 … heat-5)")
    if len(cells) != len(row_labels) or len(totals) != len(row_labels):
        raise ValueError("heat_map needs one row of cells and one total per row label")
    n_cols = len(col_labels)
    for i, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError(f"row {i} has {len(row)} cells for {n_cols} columns")

    rows_plain = [plain(r) for r in row_labels]
    cols_plain = [plain(c) for c in col_labels]
    longest_row = max((text_width(r, font_size) for r in rows_plain), default=0.0)
    label_width = min(longest_row + 10, width * 0.35)
    head_font = font_size - 1
    head_max = 150.0  # slanted headings are shortened beyond this length
    heads = [fit_text(c, head_max, head_font) for c in cols_plain]
    slant = math.cos(math.radians(45))
    reaches = [text_width(h, head_font) * slant for h in heads]

    # Slanted headings reach right of their column; shrink the columns until the last one fits.
    right = 0.0
    cell_width = 0.0
    for _ in range(4):
        cell_width = (width - label_width - right) / n_cols if n_cols else 0.0
        overhang = max(
            (label_width + (i + 0.5) * cell_width + r - width for i, r in enumerate(reaches)),
            default=0.0,
        )
        if overhang <= 0.5:
            break
        right += overhang
    top = max(reaches, default=0.0) + head_font

    columns = tuple(
        HeatColumn(
            label=cols_plain[i],
            text=heads[i],
            x=label_width + (i + 0.5) * cell_width,
            y=top - 6,
            transform=f"rotate(-45 {label_width + (i + 0.5) * cell_width:.2f} {top - 6:.2f})",
        )
        for i in range(n_cols)
    )
    cell_font = font_size - 2
    show_text = cell_width >= text_width("00 %", cell_font) + 4
    rows = []
    for r, (label, counts, total) in enumerate(zip(rows_plain, cells, totals, strict=True)):
        total = int(total)
        suppressed = total < max(1, min_count)
        y = top + r * cell_height
        row_cells = []
        for c, count in enumerate(counts):
            share = None if suppressed else count / total
            row_cells.append(
                HeatCell(
                    count=int(count),
                    share=share,
                    css_class=HEAT_NA if share is None else heat_class(share, thresholds),
                    suppressed=suppressed,
                    x=label_width + c * cell_width,
                    y=y,
                    width=cell_width,
                    height=cell_height,
                    text_x=label_width + (c + 0.5) * cell_width,
                    text_y=y + cell_height / 2 + cell_font * 0.35,
                    show_text=show_text,
                )
            )
        rows.append(
            HeatRow(
                label=label,
                text=fit_text(label, label_width - 8, font_size),
                total=total,
                suppressed=suppressed,
                label_y=y + cell_height / 2 + font_size * 0.35,
                cells=tuple(row_cells),
            )
        )
    height = top + len(rows) * cell_height if rows else top + font_size * 2
    return HeatMap(
        width,
        height,
        font_size,
        label_width,
        int(min_count),
        columns,
        tuple(rows),
        heat_buckets(thresholds),
    )


# --- Lines over time ---------------------------------------------------------------------------


@dataclass(frozen=True)
class XLabel:
    """A period on the x axis; `shown` is False for labels thinned out to avoid overlap."""

    label: str
    text: str
    x: float
    shown: bool


@dataclass(frozen=True)
class Point:
    """A plotted value (missing values are not points)."""

    index: int
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class LineSeries:
    """A series: its points and one polyline per run of consecutive values (gaps stay gaps)."""

    label: str
    values: tuple[float | None, ...]
    colour: str
    dash: str
    points: tuple[Point, ...]
    polylines: tuple[str, ...]  # SVG `points` attributes


@dataclass(frozen=True)
class LineChart:
    """Trend lines over periods, with round y ticks and thinned x labels."""

    width: float
    height: float
    font_size: float
    left: float
    top: float
    right: float
    bottom: float
    label_y: float  # baseline of the x labels
    y_ticks: tuple[Tick, ...]
    x_labels: tuple[XLabel, ...]
    series: tuple[LineSeries, ...]
    legend: tuple[LegendItem, ...]
    ink: Ink = field(default=INK)


def _y_gutter(ticks: Sequence[float], font_size: float) -> float:
    """Return the room left of the plot for tick labels (formatted as numbers or percentages)."""
    longest = max((len(f"{t * 100:g} %") for t in ticks), default=1)
    longest = max(longest, max((len(f"{t:,g}") for t in ticks), default=1))
    return longest * font_size * CHAR_WIDTH + 10


def line_chart(
    x_labels: Sequence[object],
    series: Sequence[tuple[object, Sequence[float | None]]],
    *,
    width: float = DEFAULT_WIDTH,
    height: float = 280.0,
    font_size: float = FONT_SIZE,
    max_x_labels: int | None = None,
) -> LineChart:
    """Lay out lines for (label, values per period) series over `x_labels` (weeks or months).

    Missing values (None) leave a gap. A single period is drawn as points in the middle; all-zero
    series still get a 0–1 axis.
    """
    labels = [plain(x) for x in x_labels]
    n = len(labels)
    for label, values in series:
        if len(values) != n:
            raise ValueError(f"series {plain(label)!r} has {len(values)} values for {n} periods")
    present = [float(v) for _, values in series for v in values if v is not None]
    integer = all(float(v).is_integer() for v in present)
    ticks = nice_ticks(min(present, default=0.0), max(present, default=0.0), integer=integer)
    low, high = ticks[0], ticks[-1]

    tick_font = font_size - 2
    longest_label = max((text_width(x, tick_font) for x in labels), default=0.0)
    # The end labels are centred on the first and last period, so half of each hangs outside.
    half_label = min(longest_label, 120.0) / 2 + 2
    left = max(_y_gutter(ticks, tick_font), half_label)
    right = width - max(10.0, half_label)
    top = tick_font
    bottom = height - tick_font * 2
    plot_width = right - left

    def x_at(i: int) -> float:
        """Return the x of period `i`."""
        return (left + right) / 2 if n == 1 else left + i * plot_width / (n - 1)

    def y_at(v: float) -> float:
        """Return the y of value `v`."""
        return _scale(v, low, high, bottom, top)

    slot = plot_width / max(1, n - 1) if n > 1 else plot_width
    max_text = max(slot * 0.9, 120.0) if n > 1 else plot_width
    texts = [fit_text(x, max_text, tick_font) for x in labels]
    label_room = max((text_width(t, tick_font) for t in texts), default=0.0) + 12
    shown = thin_labels(n, plot_width + label_room, label_room)
    if max_x_labels is not None and sum(shown) > max_x_labels:
        shown = thin_labels(n, max_x_labels, 1.0)
    x_axis = tuple(XLabel(labels[i], texts[i], x_at(i), shown[i]) for i in range(n))

    laid_out = []
    for s, (label, values) in enumerate(series):
        points = tuple(
            Point(i, float(v), x_at(i), y_at(float(v)))
            for i, v in enumerate(values)
            if v is not None
        )
        runs: list[list[Point]] = []
        for point in points:
            if runs and runs[-1][-1].index == point.index - 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        polylines = tuple(
            " ".join(f"{p.x:.2f},{p.y:.2f}" for p in run) for run in runs if len(run) > 1
        )
        laid_out.append(
            LineSeries(
                label=plain(label),
                values=tuple(None if v is None else float(v) for v in values),
                colour=LINE_COLOURS[s % len(LINE_COLOURS)],
                dash=LINE_DASHES[(s // len(LINE_COLOURS) + s) % len(LINE_DASHES)],
                points=points,
                polylines=polylines,
            )
        )
    return LineChart(
        width=width,
        height=height,
        font_size=font_size,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        label_y=bottom + tick_font + 6,
        y_ticks=tuple(Tick(t, y_at(t)) for t in ticks),
        x_labels=x_axis,
        series=tuple(laid_out),
        legend=tuple(LegendItem(s.label, s.colour, s.dash) for s in laid_out),
    )


# --- Histogram ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistogramBar:
    """A vertical bar for one value of the scale, with its count above it."""

    label: str
    text: str
    count: int
    share: float
    x: float
    y: float
    width: float
    height: float
    centre_x: float
    value_y: float
    shown: bool  # whether its x label is drawn


@dataclass(frozen=True)
class Histogram:
    """Vertical bars for the values of a numeric scale question (e.g. 0–10)."""

    width: float
    height: float
    font_size: float
    left: float
    top: float
    right: float
    bottom: float
    label_y: float
    total: int
    colour: str
    y_ticks: tuple[Tick, ...]
    bars: tuple[HistogramBar, ...]
    ink: Ink = field(default=INK)


def histogram(
    buckets: Sequence[tuple[object, int]],
    *,
    width: float = DEFAULT_WIDTH,
    height: float = 240.0,
    font_size: float = FONT_SIZE,
    colour: str = BAR_COLOUR,
) -> Histogram:
    """Lay out vertical bars for (label, count) buckets, heights proportional to the counts."""
    counts = [max(0, int(c)) for _, c in buckets]
    total = sum(counts)
    ticks = nice_ticks(0, max(counts, default=0), integer=True)
    tick_font = font_size - 2
    left = _y_gutter(ticks, tick_font)
    right = width - 4
    top = font_size + 6  # room for the count above the tallest bar
    bottom = height - tick_font * 2
    n = len(buckets)
    slot = (right - left) / n if n else 0.0
    bar_width = slot * 0.8
    labels = [plain(label) for label, _ in buckets]
    texts = [fit_text(t, max(slot, 40.0), tick_font) for t in labels]
    label_room = max((text_width(t, tick_font) for t in texts), default=0.0) + 8
    shown = thin_labels(n, right - left, label_room)
    bars = []
    for i, count in enumerate(counts):
        bar_h = _scale(count, 0, ticks[-1], 0.0, bottom - top)
        x = left + i * slot + (slot - bar_width) / 2
        bars.append(
            HistogramBar(
                label=labels[i],
                text=texts[i],
                count=count,
                share=count / total if total else 0.0,
                x=x,
                y=bottom - bar_h,
                width=bar_width,
                height=bar_h,
                centre_x=x + bar_width / 2,
                value_y=bottom - bar_h - 5,
                shown=shown[i],
            )
        )
    return Histogram(
        width=width,
        height=height,
        font_size=font_size,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        label_y=bottom + tick_font + 6,
        total=total,
        colour=colour,
        y_ticks=tuple(Tick(t, _scale(t, 0, ticks[-1], bottom, top)) for t in ticks),
        bars=tuple(bars),
    )


# --- Ranking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """An option's average rank, drawn as a dot on a track from rank 1 to the last rank."""

    label: str
    text: str
    mean_rank: float
    n: int
    place: int  # 1 for the best-ranked option
    y: float  # centre line of the track
    label_y: float
    x: float  # the dot
    value_x: float
    value_y: float


@dataclass(frozen=True)
class RankingChart:
    """Average rank per option (lower is better), best first, on a shared 1…max scale."""

    width: float
    height: float
    font_size: float
    left: float  # x of rank 1
    right: float  # x of the last rank
    max_rank: int
    axis_y: float  # baseline of the rank tick labels
    colour: str
    ticks: tuple[Tick, ...]
    rows: tuple[RankRow, ...]
    ink: Ink = field(default=INK)


def ranking_bars(
    items: Sequence[tuple[object, float, int]],
    *,
    max_rank: int | None = None,
    width: float = DEFAULT_WIDTH,
    font_size: float = FONT_SIZE,
    colour: str = BAR_COLOUR,
) -> RankingChart:
    """Lay out average ranks for (label, mean_rank, n) items, sorted best (lowest) first.

    Each option is a dot on a track from rank 1 (left) to `max_rank` (right; by default the
    number of options), so the best option's mark is the one furthest left, not a missing bar.
    Options nobody ranked (n = 0) go last.
    """
    ordered = sorted(
        ((plain(label), float(mean), int(n)) for label, mean, n in items),
        key=lambda item: (item[2] <= 0, item[1], item[0].casefold()),
    )
    highest = max((mean for _, mean, n in ordered if n > 0), default=1.0)
    max_rank = max(2, int(max_rank or len(ordered)), math.ceil(highest))
    value_gutter = text_width("10,0", font_size) + 14
    left = 8.0
    right = width - value_gutter
    row_height = font_size + 4 + 16 + 10
    axis_y = font_size
    rows = []
    for i, (label, mean, n) in enumerate(ordered):
        top = axis_y + 8 + i * row_height
        y = top + font_size + 4 + 8
        x = _scale(min(max(mean, 1.0), max_rank), 1, max_rank, left, right)
        rows.append(
            RankRow(
                label=label,
                text=fit_text(label, width, font_size),
                mean_rank=mean,
                n=n,
                place=i + 1,
                y=y,
                label_y=top + font_size,
                x=x,
                value_x=right + 10,
                value_y=y + font_size * 0.35,
            )
        )
    height = axis_y + 8 + len(rows) * row_height if rows else font_size * 2
    ticks = tuple(Tick(r, _scale(r, 1, max_rank, left, right)) for r in range(1, max_rank + 1))
    return RankingChart(
        width, height, font_size, left, right, max_rank, axis_y, colour, ticks, tuple(rows)
    )
