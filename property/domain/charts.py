"""Server-rendered SVG charts for the income-and-expenditure disclosures (收支公示, F-08, F-10) and the
collection-rate reports (D-06 item 6: aggregate figures only).

Pure functions on Decimals and strings: no Django, no JavaScript, no floats. Every coordinate is an integer
(values are scaled with Decimal arithmetic and rounded half-up), every label is XML-escaped, and the SVG is
standalone (``xmlns``, ``role="img"``, ``<title>`` and ``<desc>`` for screen readers). The drawing uses
presentation attributes only (no ``style`` attribute, no ``<style>`` element) so it passes a strict
Content-Security-Policy when inlined; it scales to its container (``viewBox``, ``width="100%"``) and its
font sizes are chosen to stay readable on a 390 px phone. Colours have a contrast of at least 4.5:1 on white.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

INCOME_COLOUR = "#1d4e89"  # dark blue, 8.6:1 on white
EXPENSE_COLOUR = "#b3400a"  # dark orange, 5.3:1 on white
RATE_COLOUR = "#1d6b38"  # dark green, 6.6:1 on white
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#8c8c8c"
DASHED = ' stroke-dasharray="3 3"'
FONT = "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"

# Bar chart geometry (viewBox units): 480 wide so that text of 13–14 units is ~11 px on a 390 px phone.
BAR_WIDTH, BAR_TOP, BAR_PLOT_HEIGHT, BAR_LEFT, BAR_RIGHT, BAR_BOTTOM = 480, 48, 200, 72, 8, 72
# Rate chart geometry: a label column, then 3 units per percentage point (100 % = 300 units), then the value.
RATE_WIDTH, RATE_LABEL, RATE_SCALE, RATE_ROW, RATE_TOP, RATE_BOTTOM = 480, 116, 3, 30, 44, 24
RATE_LABEL_CHARS = 8

ZERO = Decimal(0)


def _round(value: Decimal) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _text(value) -> str:
    return escape(str(value))


def _attr(value) -> str:
    return quoteattr(str(value))


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (the top of the value axis); 1 for nothing."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        candidate = step.scaleb(exponent)
        if candidate >= value:
            return Decimal(int(candidate)) if candidate == candidate.to_integral_value() else candidate
    return Decimal(10).scaleb(exponent)  # pragma: no cover - the loop always returns


def scaled(value: Decimal, top: Decimal, length: int) -> int:
    """How many units ``value`` takes of an axis of ``length`` units going from 0 to ``top``; never negative."""
    value = Decimal(value)
    if value <= 0 or top <= 0:
        return 0
    return min(length, _round(value * length / Decimal(top)))


def short_amount(value: Decimal) -> str:
    """An axis or bar label in yuan: 62.50, 950, 1,466, 3.5万, 120万 (a 390 px phone has no room for 1,234,567.89;
    the exact figures are in the tooltips, the description and the table beside the chart)."""
    value = Decimal(value)
    if abs(value) >= 10000:
        wan = (value / 10000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        text = f"{wan:f}".rstrip("0").rstrip(".") if "." in f"{wan:f}" else f"{wan:f}"
        return f"{text}万"
    if value == value.to_integral() or abs(value) >= 100:
        return f"{_round(value):,}"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _shorten(label: str, limit: int) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg_open(width: int, height: int, title: str, desc: str, ids: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{ids}-title {ids}-desc" '
        f'font-family={_attr(FONT)} font-size="13" fill={_attr(TEXT_COLOUR)}>',
        f'<title id="{ids}-title">{_text(title)}</title>',
        f'<desc id="{ids}-desc">{_text(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width // 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">{_text(title)}</text>',
    ]


def bar_chart_desc(rows: Sequence[tuple[str, Decimal, Decimal]], income_label: str, expense_label: str) -> str:
    """The figures in words, for screen readers and the alt text: 7月：收入 1200.00 元，支出 300.00 元；…"""
    parts = [
        f"{label}：{income_label} {Decimal(inc):.2f} 元，{expense_label} {Decimal(exp):.2f} 元"
        for label, inc, exp in rows
    ]
    return "；".join(parts) if parts else "无数据"


def bar_chart_svg(
    title: str,
    rows: Sequence[tuple[str, Decimal, Decimal]],
    *,
    income_label: str = "收入",
    expense_label: str = "支出",
    desc: str | None = None,
    ids: str = "chart",
) -> str:
    """Grouped bars of income and expenditure per row (a month, a category), on one value axis from zero.

    The axis top is ``nice_ceiling`` of the largest value; a bar of value v is ``round(v × 200 / top)`` units
    high. A negative value (a period where reversals exceed the receipts) is drawn as no bar and labelled
    with its figure. With no rows, or only zeros, the chart shows its axis and says there is nothing to show.
    """
    rows = [(str(label), Decimal(income), Decimal(expense)) for label, income, expense in rows]
    height = BAR_TOP + BAR_PLOT_HEIGHT + BAR_BOTTOM
    plot_width = BAR_WIDTH - BAR_LEFT - BAR_RIGHT
    baseline = BAR_TOP + BAR_PLOT_HEIGHT
    largest = max([ZERO, *(max(income, expense) for _label, income, expense in rows)])
    top = nice_ceiling(largest)
    desc = desc if desc is not None else bar_chart_desc(rows, income_label, expense_label)
    out = _svg_open(BAR_WIDTH, height, title, desc, ids)
    # Value axis: 0, ¼, ½, ¾ and the top, with grid lines.
    for step in range(5):
        value = top * step / 4
        y = baseline - scaled(value, top, BAR_PLOT_HEIGHT)
        out.append(
            f'<line x1="{BAR_LEFT}" y1="{y}" x2="{BAR_WIDTH - BAR_RIGHT}" y2="{y}" stroke={_attr(GRID_COLOUR)} '
            f'stroke-width="{2 if step == 0 else 1}"{"" if step == 0 else DASHED}/>'
        )
        out.append(
            f'<text x="{BAR_LEFT - 6}" y="{y + 4}" text-anchor="end" font-size="12">{_text(short_amount(value))}</text>'
        )
    if not rows or largest == 0:
        out.append(
            f'<text x="{BAR_LEFT + plot_width // 2}" y="{BAR_TOP + BAR_PLOT_HEIGHT // 2}" text-anchor="middle" '
            f'font-size="14">无收支</text>'
        )
    if rows:
        slot = plot_width // len(rows)
        bar = max(4, min(48, slot * 35 // 100))
        with_values = len(rows) <= 6
        for index, (label, income, expense) in enumerate(rows):
            centre = BAR_LEFT + slot * index + slot // 2
            for offset, value, colour, name in (
                (-bar - 1, income, INCOME_COLOUR, income_label),
                (1, expense, EXPENSE_COLOUR, expense_label),
            ):
                h = scaled(value, top, BAR_PLOT_HEIGHT)
                x = centre + offset
                out.append(
                    f'<rect x="{x}" y="{baseline - h}" width="{bar}" height="{h}" fill={_attr(colour)}>'
                    f"<title>{_text(f'{label} {name} {value:.2f} 元')}</title></rect>"
                )
                if with_values:
                    out.append(
                        f'<text x="{x + bar // 2}" y="{baseline - h - 4}" text-anchor="middle" font-size="11">'
                        f"{_text(short_amount(value))}</text>"
                    )
            out.append(
                f'<text x="{centre}" y="{baseline + 18}" text-anchor="middle" font-size="13">'
                f"{_text(_shorten(label, max(2, slot // 13)))}</text>"
            )
    # Legend under the axis labels.
    legend_y = baseline + 44
    for x, colour, name in ((BAR_LEFT, INCOME_COLOUR, income_label), (BAR_LEFT + 120, EXPENSE_COLOUR, expense_label)):
        out.append(f'<rect x="{x}" y="{legend_y - 11}" width="14" height="14" fill={_attr(colour)}/>')
        out.append(f'<text x="{x + 20}" y="{legend_y + 1}" font-size="13">{_text(name)}（元）</text>')
    out.append("</svg>")
    return "\n".join(out)


def rate_chart_desc(rows: Sequence[tuple[str, Decimal | None]], none_label: str = "未收费") -> str:
    parts = [f"{label}：{none_label if rate is None else f'{Decimal(rate):.1f}%'}" for label, rate in rows]
    return "；".join(parts) if parts else "无数据"


def rate_chart_svg(
    title: str,
    rows: Sequence[tuple[str, Decimal | None]],
    *,
    none_label: str = "未收费",
    desc: str | None = None,
    ids: str = "rate",
) -> str:
    """Horizontal bars of collection rates (收缴率) in percent, one row per building, community or district.

    The scale is fixed from 0 to 100 % (3 units per point: a rate of r is ``round(r × 3)`` units long, capped
    at 100 %) so that charts of different places compare at a glance. ``None`` (nothing charged) draws no
    bar and says so. Labels longer than eight characters are shortened on the chart; the full label is in
    the bar's tooltip and in ``<desc>``.
    """
    rows = [(str(label), None if rate is None else Decimal(rate)) for label, rate in rows]
    height = RATE_TOP + max(1, len(rows)) * RATE_ROW + RATE_BOTTOM
    desc = desc if desc is not None else rate_chart_desc(rows, none_label)
    out = _svg_open(RATE_WIDTH, height, title, desc, ids)
    left, full = RATE_LABEL, 100 * RATE_SCALE
    bottom = RATE_TOP + max(1, len(rows)) * RATE_ROW
    for percent in (0, 50, 100):
        x = left + percent * RATE_SCALE
        out.append(
            f'<line x1="{x}" y1="{RATE_TOP - 4}" x2="{x}" y2="{bottom}" stroke={_attr(GRID_COLOUR)} '
            f'stroke-width="{2 if percent == 0 else 1}"{"" if percent == 0 else DASHED}/>'
        )
        out.append(f'<text x="{x}" y="{bottom + 16}" text-anchor="middle" font-size="12">{percent}%</text>')
    if not rows:
        out.append(f'<text x="{left + full // 2}" y="{RATE_TOP + 19}" text-anchor="middle">无数据</text>')
    for index, (label, rate) in enumerate(rows):
        y = RATE_TOP + index * RATE_ROW
        out.append(
            f'<text x="{left - 6}" y="{y + 19}" text-anchor="end" font-size="13">'
            f"{_text(_shorten(label, RATE_LABEL_CHARS))}</text>"
        )
        if rate is None:
            out.append(f'<text x="{left + 6}" y="{y + 19}" font-size="12">{_text(none_label)}</text>')
            continue
        length = min(full, max(0, _round(rate * RATE_SCALE)))
        out.append(
            f'<rect x="{left}" y="{y + 6}" width="{length}" height="{RATE_ROW - 12}" fill={_attr(RATE_COLOUR)}>'
            f"<title>{_text(f'{label} {rate:.1f}%')}</title></rect>"
        )
        out.append(f'<text x="{left + length + 4}" y="{y + 19}" font-size="12">{rate:.1f}%</text>')
    out.append("</svg>")
    return "\n".join(out)
