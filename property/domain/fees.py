"""Fee arithmetic: periodic charges, allocation of payments, cost-sharing, late fees and arrears bands.

Pure functions on Decimals and dates (DOMAIN-RULES §9, §8 D-06, V-12, P-08). Money is quantised to 0.01 yuan
with ROUND_HALF_UP, the way a cashier rounds; nothing here uses floats.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# D-06: the amount band an arrears notice may show instead of the exact figure.
ARREARS_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("500"), "500元以下"),
    (Decimal("1000"), "500–1000元"),
    (Decimal("3000"), "1000–3000元"),
)
ARREARS_BAND_TOP = "3000元以上"

# F-05: a late charge above 30% of the loss is "excessive" (SPC 合同编通则解释 2023 Art. 65).
LATE_FEE_CAP_SHARE = Decimal("0.30")


def money(value) -> Decimal:
    """A yuan amount rounded half-up to the fen."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def period_start(day: date) -> date:
    """The billing period (a calendar month) a day falls in, as its first day."""
    return day.replace(day=1)


def add_months(period: date, months: int) -> date:
    """The first day of the month ``months`` after ``period`` (negative goes back)."""
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every period from ``first`` to ``last``, both included."""
    first, last = period_start(first), period_start(last)
    periods = []
    while first <= last:
        periods.append(first)
        first = add_months(first, 1)
    return periods


def quarter_of(day: date) -> tuple[date, date]:
    """F-10: the first and last day of the calendar quarter containing ``day`` (disclosure default)."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = add_months(start, 3)
    return start, date.fromordinal(end.toordinal() - 1)


def monthly_charge(*, rate: Decimal, area: Decimal | None, fixed: bool) -> Decimal | None:
    """F-03: ``round(rate × billing area × 1 month, 2)``; a fixed schedule charges its amount as it is.

    None when a per-m² schedule meets a unit without any area: the charge cannot be computed and the unit is
    reported, never billed at zero.
    """
    if fixed:
        return money(rate)
    if area is None:
        return None
    return money(Decimal(rate) * Decimal(area))


@dataclass(frozen=True)
class Share:
    key: Hashable
    amount: Decimal


def allocate_fifo(open_items: Sequence[tuple[Hashable, Decimal]], credit: Decimal) -> list[Share]:
    """Apply a credit to open charges oldest first; what is left over stays a prepayment (G3).

    ``open_items`` are (key, open amount) in the order to settle them. Returns only the non-zero parts.
    """
    credit = money(credit)
    shares = []
    for key, open_amount in open_items:
        if credit <= 0:
            break
        part = min(money(open_amount), credit)
        if part > 0:
            shares.append(Share(key, part))
            credit -= part
    return shares


def apportion(total: Decimal, weights: Sequence[tuple[Hashable, Decimal]]) -> list[Share]:
    """V-12: split ``total`` by share of the weights (exclusive area by default), to the fen, summing exactly.

    Each part is rounded down; the fen left over go one each to the largest remainders, ties to the earlier key
    in the given order (the largest-remainder method), so the parts always add up to the total.
    """
    total = money(total)
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = sum((Decimal(w) for _key, w in weights), Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    parts = []
    for index, (key, weight) in enumerate(weights):
        exact = total * Decimal(weight) / weight_sum
        floor = exact.quantize(CENT, rounding=ROUND_DOWN)
        parts.append([key, floor, exact - floor, index])
    leftover = int((total - sum(part[1] for part in parts)) / CENT)
    for part in sorted(parts, key=lambda p: (-p[2], p[3]))[:leftover]:
        part[1] += CENT
    return [Share(key, amount) for key, amount, _rest, _index in parts]


def payment_problem(amount: Decimal | None) -> str | None:
    """A payment, refund or donation of money must be a positive amount in whole fen."""
    if amount is None:
        return "请填写金额。"
    if amount <= 0:
        return "金额必须大于零。"
    if Decimal(amount) != money(amount):
        return "金额最多精确到分（两位小数）。"
    return None


def needs_overpayment_confirmation(*, amount: Decimal, due: Decimal, tolerance: Decimal) -> bool:
    """Paying more than is due plus a small tolerance is taken only after the cashier confirms a prepayment."""
    return money(amount) > money(max(due, ZERO)) + money(tolerance)


def late_fee(*, principal: Decimal, days_late: int, daily_rate: Decimal | None) -> Decimal:
    """F-05: a late charge exists only when the contract sets a daily rate, and is capped at 30% of the principal.

    Simple interest on the principal only, never on earlier late fees.
    """
    if not daily_rate or days_late <= 0 or principal <= 0:
        return ZERO
    fee = money(Decimal(principal) * Decimal(daily_rate) * days_late)
    return min(fee, money(Decimal(principal) * LATE_FEE_CAP_SHARE))


def collection_rate(collected: Decimal, charged: Decimal) -> Decimal | None:
    """Collection rate (收缴率) in percent to one decimal; None when nothing was charged."""
    if not charged:
        return None
    return (Decimal(collected) * 100 / Decimal(charged)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def arrears_band(amount: Decimal) -> str:
    """D-06: fellow owners see the band of an arrear, not the exact figure."""
    for limit, label in ARREARS_BANDS:
        if amount < limit:
            return label
    return ARREARS_BAND_TOP


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(group: int) -> str:
    text, zero_pending = "", False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
        else:
            if zero_pending:
                text += "零"
                zero_pending = False
            text += _DIGITS[digit] + _SMALL_UNITS[position]
    return text


def amount_in_words(amount: Decimal) -> str:
    """The amount in capital Chinese numerals as a receipt (收据) writes it, e.g. 壹佰零伍元伍角整 → 105.50."""
    amount = money(amount)
    if amount < 0:
        return "负" + amount_in_words(-amount)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    text = ""
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if text and not text.endswith("零"):
                text += "零"
            continue
        if text and group < 1000 and not text.endswith("零"):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[index]
    text = text.rstrip("零")
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text
