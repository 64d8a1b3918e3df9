"""The disclosure and collection-rate charts (property/domain/charts.py): pure SVG, no database."""

import re
import xml.dom.minidom
from decimal import Decimal

import pytest

from property.domain import charts

D = Decimal
SVG_NS = "http://www.w3.org/2000/svg"


def parse(svg: str):
    return xml.dom.minidom.parseString(svg).documentElement  # noqa: S318 - our own output


def bars(svg: str) -> list[tuple[str, int]]:
    """(fill, height) of every bar (a rect with a tooltip)."""
    root = parse(svg)
    return [
        (rect.getAttribute("fill"), int(rect.getAttribute("height")))
        for rect in root.getElementsByTagName("rect")
        if rect.getElementsByTagName("title")
    ]


@pytest.mark.parametrize(
    ("value", "top"),
    [
        ("0", "1"),
        ("-5", "1"),
        ("0.3", "0.5"),
        ("1", "1"),
        ("7", "10"),
        ("12", "20"),
        ("250", "250"),
        ("999", "1000"),
        ("1000", "1000"),
        ("1001", "2000"),
        ("2600", "5000"),
        ("45000.50", "50000"),
    ],
)
def test_the_value_axis_ends_on_a_round_number(value, top):
    assert charts.nice_ceiling(D(value)) == D(top)


@pytest.mark.parametrize(
    ("rows", "heights"),
    [
        # top 1000: 200 units for 1000 yuan
        ([("7月", "500", "250"), ("8月", "1000", "0")], [100, 50, 200, 0]),
        # top 250: a bar of 1/3 of the top rounds half-up to the unit
        ([("Q3", "83.34", "250")], [67, 200]),
        # a negative net figure draws no bar
        ([("9月", "-10", "40")], [0, 160]),  # top 50
        # all zeros: no bars taller than the axis
        ([("7月", "0", "0")], [0, 0]),
    ],
)
def test_bar_heights_are_exact_integers_of_the_scale(rows, heights):
    svg = charts.bar_chart_svg("收支", [(label, D(i), D(e)) for label, i, e in rows])
    drawn = bars(svg)
    assert [h for _fill, h in drawn] == heights
    assert [fill for fill, _h in drawn][:2] == [charts.INCOME_COLOUR, charts.EXPENSE_COLOUR]


def test_a_chart_is_standalone_accessible_svg_scaled_to_its_container():
    svg = charts.bar_chart_svg("2026年第三季度收支", [("7月", D("1200.00"), D("300.50"))], ids="d7")
    root = parse(svg)
    assert root.tagName == "svg"
    assert root.getAttribute("xmlns") == SVG_NS
    assert root.getAttribute("role") == "img"
    assert root.getAttribute("width") == "100%"
    assert root.getAttribute("viewBox") == "0 0 480 320"
    assert root.getAttribute("aria-labelledby") == "d7-title d7-desc"
    assert root.getElementsByTagName("title")[0].firstChild.data == "2026年第三季度收支"
    assert "7月：收入 1200.00 元，支出 300.50 元" in root.getElementsByTagName("desc")[0].firstChild.data
    # nothing a strict CSP would block, no floats in the geometry
    assert "style" not in svg and "<script" not in svg
    assert not re.search(r'(x|y|width|height)="-?\d+\.\d+"', svg)


@pytest.mark.parametrize("label", ['<script>alert("x")</script>', "A&B 楼", "\"quoted\" 'single'", "]]>"])
def test_labels_and_titles_are_escaped(label):
    svg = charts.bar_chart_svg(label, [(label, D("1"), D("2"))])
    parse(svg)  # well-formed XML
    assert "<script>" not in svg
    rate = charts.rate_chart_svg(label, [(label, D("50"))])
    parse(rate)
    assert "<script>" not in rate


def test_no_rows_still_draws_an_axis_and_says_so():
    svg = charts.bar_chart_svg("收支", [])
    parse(svg)
    assert bars(svg) == []
    assert "无收支" in svg
    assert "无数据" in svg  # the <desc>


@pytest.mark.parametrize(
    ("rate", "length", "text"),
    [("0", 0, "0.0%"), ("50", 150, "50.0%"), ("95.5", 287, "95.5%"), ("100", 300, "100.0%"), ("104.2", 300, "104.2%")],
)
def test_rate_bars_are_three_units_a_point_capped_at_100(rate, length, text):
    svg = charts.rate_chart_svg("收缴率", [("1号楼", D(rate))])
    rect = next(r for r in parse(svg).getElementsByTagName("rect") if r.getElementsByTagName("title"))
    assert int(rect.getAttribute("width")) == length
    assert f">{text}<" in svg


def test_a_place_without_charges_has_no_bar_and_says_so():
    svg = charts.rate_chart_svg("收缴率", [("1号楼", None), ("2号楼", D("80"))])
    assert len(bars(svg)) == 1
    assert "未收费" in svg
    assert "1号楼：未收费；2号楼：80.0%" in svg


def test_long_labels_are_shortened_on_the_chart_but_complete_in_the_description():
    name = "红旗区向阳路街道向阳新村"
    svg = charts.rate_chart_svg("收缴率", [(name, D("90"))])
    assert "红旗区向阳路街…" in svg
    assert f'<desc id="rate-desc">{name}：90.0%</desc>' in svg


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0"),
        ("950", "950"),
        ("1200", "1,200"),
        ("62.5", "62.50"),
        ("99.99", "99.99"),
        ("1466.07", "1,466"),
        ("12500", "1.3万"),
        ("1200000", "120万"),
    ],
)
def test_axis_amounts_are_short(value, text):
    assert charts.short_amount(D(value)) == text
