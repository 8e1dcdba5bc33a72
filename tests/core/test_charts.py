"""Server-drawn charts (core.charts): the markup a screen reader and a print-out rely on."""

from __future__ import annotations

import re

from tdkt.core.charts import bar_chart


def test_a_chart_is_an_image_named_by_its_title_with_a_number_on_every_bar():
    chart = bar_chart(
        "year",
        "Khen thưởng <theo> năm & cấp",
        'Mô tả "đầy đủ"',
        ["2024", "Đơn vị <A>"],
        [("Cá nhân", [3, 0]), ("Tập thể", [1250, 2])],
    )
    html = str(chart.html())
    svg = re.search(r"<svg [^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-year-title chart-year-desc"' in svg
    assert '<title id="chart-year-title">Khen thưởng &lt;theo&gt; năm &amp; cấp</title>' in html
    assert '<desc id="chart-year-desc">Mô tả &quot;đầy đủ&quot;</desc>' in html
    assert ">Đơn vị &lt;A&gt;</text>" in html and "<A>" not in html
    # four bars (two categories × two series), each with its number; a zero is a bar of no width
    bars = re.findall(
        r'<rect x="8" y="[\d.]+" width="([\d.]+)" height="14" ([^/]*)/><text [^>]*>([^<]*)</text>', html
    )
    assert [(text, float(width) > 0) for width, _fill, text in bars] == [
        ("3", True), ("1.250", True), ("0", False), ("2", True)
    ]  # fmt: skip
    # the series differ by pattern as well as colour, and the legend names them
    assert 'fill="url(#p-year-hatch)"' in bars[1][1] and 'fill="#1f4e79"' in bars[0][1]
    assert html.count('<g class="legend">') == 2 and ">Tập thể</text></g>" in html


def test_a_chart_without_data_says_so_instead_of_drawing():
    html = str(bar_chart("unit", "Theo đơn vị", "", [], []).html())
    assert "<svg" not in html
    assert 'id="chart-unit"' in html and "Không có số liệu để vẽ biểu đồ." in html
