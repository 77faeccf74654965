"""Charts are well-formed SVG images with a name, and labels cannot inject markup."""

from __future__ import annotations

from lxml import etree

from ila_register.web.charts import Series, bar_chart, column_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode())


def test_a_bar_chart_is_a_named_image_with_one_bar_per_row() -> None:
    svg = _parse(bar_chart("c", "Offers <per> province", [("Antwerpen", 10), ("Namur & co", 5), ("Empty", 0)]))
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Offers <per> province"
    assert svg.get("aria-labelledby") == title.get("id")
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 2  # a zero draws nothing
    assert float(bars[0].get("width", "0")) == 2 * float(bars[1].get("width", "0"))
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "Namur & co" in texts
    assert "10" in texts


def test_hostile_labels_stay_text() -> None:
    svg = _parse(bar_chart("c", "t", [('<script>alert(1)</script>"', 1)]))
    assert svg.find(f".//{SVG}script") is None
    assert svg.findall(f"{SVG}text")[0].text == '<script>alert(1)</script>"'


def test_stacked_and_column_charts_draw_every_series() -> None:
    stacked = _parse(
        stacked_bar_chart(
            "s", "t", ["A", "B"], [Series("eligible", [3, 1], "#2b6a2f"), Series("rejected", [1, 0], "#b00020")]
        )
    )
    fills = [r.get("fill") for r in stacked.findall(f"{SVG}rect")]
    assert fills.count("#2b6a2f") == 3  # legend + two bars
    assert fills.count("#b00020") == 2  # legend + one bar
    columns = _parse(column_chart("m", "t", ["2026-10", "2026-11"], [Series("", [0, 7], "#1d4f91")]))
    assert len(columns.findall(f"{SVG}rect")) == 2
    assert [t.text for t in columns.findall(f"{SVG}text")][-2:] == ["2026-10", "2026-11"]
