"""Charts drawn on the server as SVG: no script, nothing fetched, readable without colour.

A chart is horizontal bars, one group per category. The category's name is written above its bars and
every bar carries its number at its end, so nothing depends on reading a colour or a length; series
differ by fill pattern (solid, hatched, dotted, cross-hatched) as well as by colour, with a legend.
`Chart.html` draws what `bar_chart` computes (the template `includes/_chart.html` places it); every chart
on the page is followed by the table of the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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

    def html(self) -> SafeString:
        """The chart's markup: a figure holding an SVG with role="img", named by its title and described
        by its description, numbers on the bars and patterns besides colours. Written out here rather
        than in a template: a chart of a hundred bars through the template engine (a dozen variables a
        bar) cost 20 ms of the statistics page, this a tenth of that."""
        key = escape(self.key)
        if self.empty:
            inner = f'<p class="text-muted small mb-1">{escape(_("Không có số liệu để vẽ biểu đồ."))}</p>'
            return mark_safe(f'<figure class="report-chart mb-2" id="chart-{key}">\n{inner}\n</figure>')

        def fill(pattern: str, colour: str) -> str:
            return f'fill="{colour}"' if pattern == "solid" else f'fill="url(#p-{key}-{pattern})"'

        parts = [
            f'<figure class="report-chart mb-2" id="chart-{key}">\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-{key}-title '
            f'chart-{key}-desc" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" preserveAspectRatio="xMinYMin meet" class="report-chart-svg img-fluid" '
            f'focusable="false">\n'
            f'  <title id="chart-{key}-title">{escape(self.title)}</title>\n'
            f'  <desc id="chart-{key}-desc">{escape(self.description)}</desc>\n'
            "  <defs>\n"
            f'    <pattern id="p-{key}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><rect width="3" '
            'height="6" fill="#8a3b12"/></pattern>\n'
            f'    <pattern id="p-{key}-dots" patternUnits="userSpaceOnUse" width="5" height="5"><rect '
            'width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.6" fill="#2d6a2d"/>'
            "</pattern>\n"
            f'    <pattern id="p-{key}-cross" patternUnits="userSpaceOnUse" width="6" height="6"><rect '
            'width="6" height="6" fill="#ffffff"/><path d="M0 0L6 6M6 0L0 6" stroke="#5b2a86" '
            'stroke-width="1.5"/></pattern>\n'
            "  </defs>\n  ",
        ]
        for item in self.legend:
            colour = escape(item["colour"])
            parts.append(
                f'<g class="legend">\n    <rect x="{item["x"]:.1f}" y="{item["y"]:.1f}" width="16" '
                f'height="14" {fill(item["pattern"], colour)} stroke="{colour}"/>\n'
                f'    <text x="{int(item["x"]) + 22}" y="{int(item["y"]) + 12}" fill="#212529" '
                f'font-size="13">{escape(item["text"])}</text></g>'
            )
        parts.append("\n  ")
        for label in self.labels:
            parts.append(
                f'<text x="{label["x"]}" y="{label["y"]:.1f}" fill="#212529" font-size="13" '
                f'font-weight="600">{escape(label["text"])}</text>\n  '
            )
        for bar in self.bars:
            colour = escape(bar.colour)
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y:.1f}" width="{bar.width:.1f}" height="{bar.height}" '
                f'{fill(bar.pattern, colour)} stroke="{colour}"/><text x="{bar.text_x:.1f}" '
                f'y="{bar.text_y:.1f}" fill="#212529" font-size="12">{escape(bar.text)}</text>\n  '
            )
        parts.append("\n</svg>\n</figure>")
        return mark_safe("".join(parts))


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
