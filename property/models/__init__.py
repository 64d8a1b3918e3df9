from .base import APPEND_ONLY_MESSAGE, AppendOnly, AppendOnlyQuerySet
from .disclosure import Disclosure
from .funds import CostSharePlan, Donation
from .ledger import (
    Allocation,
    ArrearsNotice,
    Book,
    Charge,
    ChargeRun,
    FeeSchedule,
    Fund,
    LedgerEntry,
    OnlinePayment,
    Payment,
    ReceiptSequence,
    Reminder,
)

__all__ = [
    "APPEND_ONLY_MESSAGE",
    "Allocation",
    "AppendOnly",
    "AppendOnlyQuerySet",
    "ArrearsNotice",
    "Book",
    "Charge",
    "ChargeRun",
    "CostSharePlan",
    "Disclosure",
    "Donation",
    "FeeSchedule",
    "Fund",
    "LedgerEntry",
    "OnlinePayment",
    "Payment",
    "ReceiptSequence",
    "Reminder",
]
