"""Charts drawn on the server as SVG: no script, nothing fetched, readable without colour.

A chart is horizontal bars, one group per category. The category's name is written above its bars and
every bar carries its number at its end, so nothing depends on reading a colour or a length; series
differ by fill pattern (solid, hatched, dotted, cross-hatched) as well as by colour, with a legend.
The template `includes/_chart.html` draws what `bar_chart` computes; every chart on the page is followed
by the table of the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format

WIDTH = 720
LEFT = 8
VALUE_SPACE = 90  # room after the longest bar for its number
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 12
LEGEND_HEIGHT = 26

# fill patterns, each with a colour that keeps 3:1 against white (WCAG non-text contrast)
PATTERNS = ("solid", "hatch", "dots", "cross")
COLOURS = ("#1f4e79", "#8a3b12", "#2d6a2d", "#5b2a86")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    pattern: str
    colour: str
    text: str
    text_x: float
    text_y: float


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    labels: list[dict] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    empty: bool = False


def _fmt(value: float, suffix: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        text = number_format(value, decimal_pos=1)
    else:
        text = number_format(int(value), force_grouping=True)
    return f"{text}{suffix}"


def bar_chart(
    key: str,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[float]]],
    *,
    suffix: str = "",
    maximum: float | None = None,
) -> Chart:
    """Bars for `categories` × `series` ([(series name, [value per category])]); `maximum` fixes the scale
    (100 for percentages), else the largest value fills the width."""
    values = [v for _name, vs in series for v in vs]
    top = maximum if maximum is not None else max(values, default=0)
    span = WIDTH - LEFT - VALUE_SPACE
    legend = []
    y = 4.0
    if len(series) > 1:
        for i, (name, _vs) in enumerate(series):
            legend.append(
                {
                    "x": LEFT + i * (WIDTH - LEFT) / len(series),
                    "y": y,
                    "pattern": PATTERNS[i % len(PATTERNS)],
                    "colour": COLOURS[i % len(COLOURS)],
                    "text": name,
                }
            )
        y += LEGEND_HEIGHT
    chart = Chart(key, title, description, WIDTH, 0, legend=legend, empty=not categories)
    for c, category in enumerate(categories):
        chart.labels.append({"x": LEFT, "y": y + LABEL_HEIGHT - 5, "text": category})
        y += LABEL_HEIGHT
        for i, (_name, vs) in enumerate(series):
            value = vs[c]
            width = span * value / top if top else 0
            width = max(width, 1.5) if value else 0
            chart.bars.append(
                Bar(
                    x=LEFT,
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    pattern=PATTERNS[i % len(PATTERNS)],
                    colour=COLOURS[i % len(COLOURS)],
                    text=_fmt(value, suffix),
                    text_x=round(LEFT + width + 6, 1),
                    text_y=y + BAR_HEIGHT - 2,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    chart.height = int(y + 4)
    return chart


def series_chart(series) -> Chart:
    """The chart of one `selectors.Series` (a count per category)."""
    return bar_chart(
        series.key,
        series.title,
        series.description,
        [r["label"] for r in series.rows],
        [(series.value_header, [r["value"] for r in series.rows])],
    )
