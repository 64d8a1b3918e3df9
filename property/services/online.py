"""Online payment of a household's fees through a payment provider (issue 6).

The household starts a payment (an ``OnlinePayment`` in state pending) and is sent to the provider; the provider's
confirmation completes it. Only a confirmed success records money, through ``ledger.payment_record`` with an
idempotency key derived from the payment's reference, so a callback repeated by the provider (or a double click
on the confirmation page) records the payment once. A failure or a cancellation records nothing.

The provider is configured by ``settings.PORTAL_PAYMENT_PROVIDER`` (a dotted path). ``FakeProvider`` stands in
for a real one in development and in the demo: its page says plainly that no real money moves.
"""

import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from home.models import Unit
from home.services.audit import audit_record
from home.services.notifications import notify
from property import permissions
from property.domain import fees
from property.models import Fund, OnlinePayment, Payment
from property.services import ledger

Status = OnlinePayment.Status


# ------------------------------------------------------------------ providers


@dataclass(frozen=True)
class ProviderResult:
    """What a provider's confirmation says about one payment."""

    reference: str
    succeeded: bool
    provider_reference: str = ""


class PaymentProvider(ABC):
    """A payment provider: sends the household to pay, and reads back the provider's confirmation."""

    #: Shown to the household next to the payment ("模拟支付", "微信支付", …).
    label = ""

    @abstractmethod
    def start(self, online_payment: OnlinePayment, return_url: str) -> str:
        """Register the payment with the provider; return the address to send the household to."""

    @abstractmethod
    def confirm(self, data) -> ProviderResult:
        """Read (and for a real provider, verify the signature of) a confirmation sent back by the provider.

        Raises ``ValidationError`` when the data is not a valid confirmation.
        """


class FakeProvider(PaymentProvider):
    """A stand-in provider: its page (``property:fake_provider``) lets the household confirm or cancel.

    No money moves. The page exists only while this provider is the configured one.
    """

    label = "模拟支付"

    def start(self, online_payment: OnlinePayment, return_url: str) -> str:
        return reverse("property:fake_provider", args=[online_payment.reference])

    def confirm(self, data) -> ProviderResult:
        reference = str(data.get("reference") or "").strip()
        outcome = data.get("outcome")
        if not reference or outcome not in ("pay", "cancel"):
            raise ValidationError("支付结果无法识别，请重试。")
        return ProviderResult(
            reference=reference,
            succeeded=outcome == "pay",
            provider_reference=f"FAKE-{reference[:16]}" if outcome == "pay" else "",
        )


@lru_cache(maxsize=8)
def _provider_class(path: str):
    return import_string(path)


def provider() -> PaymentProvider:
    """The configured provider (``settings.PORTAL_PAYMENT_PROVIDER``)."""
    return _provider_class(settings.PORTAL_PAYMENT_PROVIDER)()


def uses_fake_provider() -> bool:
    return isinstance(provider(), FakeProvider)


# ------------------------------------------------------------------ writers


def _payer_name(user) -> str:
    name = (getattr(user, "full_name", "") or "").strip()
    if not name:
        person = getattr(user, "person", None)
        name = (getattr(person, "full_name", "") or "").strip()
    return name[:100]


@transaction.atomic
def online_payment_start(*, user, unit: Unit, amount: Decimal, fund: str = Fund.PROPERTY_FEES) -> OnlinePayment:
    """A household member starts paying ``amount`` into one account of the unit; nothing is recorded yet."""
    if not getattr(user, "is_authenticated", False) or not permissions.can_read_household(user, unit):
        raise PermissionDenied("您不能为这户缴费。")
    if fund not in Fund.values:
        raise ValidationError({"fund": "没有这个账户。"})
    if amount is None:
        raise ValidationError({"amount": "请填写缴费金额。"})
    if problem := fees.payment_problem(amount):
        raise ValidationError({"amount": problem})
    owed = ledger.amount_owed(unit, fund)
    if owed <= 0:
        raise ValidationError({"amount": "这户目前没有待缴费用，无需在线缴费。"})
    if amount > owed + ledger.overpayment_tolerance():
        raise ValidationError({"amount": f"在线缴费不能超过应缴金额 {owed} 元；如需预缴，请到物业服务处办理。"})
    community = ledger.community_of_unit(unit)
    online = OnlinePayment.objects.create(
        community=community,
        unit=unit,
        fund=fund,
        amount=amount,
        reference=secrets.token_hex(16),
        user=user,
    )
    audit_record(
        actor=user,
        community=community,
        action="fees.online_payment_start",
        target=online,
        after={"amount": str(amount), "fund": fund, "unit": unit.pk},
    )
    return online


def redirect_url(online_payment: OnlinePayment, return_url: str) -> str:
    """Where to send the household to pay (the provider's page)."""
    return provider().start(online_payment, return_url)


def _online_payment(reference: str) -> OnlinePayment:
    try:
        return OnlinePayment.objects.select_related("community", "unit__entrance__building", "user").get(
            reference=reference
        )
    except OnlinePayment.DoesNotExist as error:
        raise ValidationError("找不到这笔在线缴费。") from error


def online_payment_complete(
    *, reference: str, succeeded: bool, provider_reference: str = "", user=None
) -> OnlinePayment:
    """The provider's answer for one payment. Success records the payment (once); failure records nothing.

    ``user`` is given when a person completes it on a page (the fake provider): only the one who started the
    payment may. A provider's server-to-server callback passes no user.
    """
    online = _online_payment(reference)
    if user is not None and online.user_id != getattr(user, "pk", None):
        raise PermissionDenied("只有发起这笔缴费的人才能完成它。")
    if online.status != Status.PENDING:
        return online
    with transaction.atomic():
        online = (
            OnlinePayment.objects.select_for_update()
            .select_related("community", "unit__entrance__building", "user")
            .get(pk=online.pk)
        )
        if online.status != Status.PENDING:
            return online
        now = timezone.now()
        if not succeeded:
            if OnlinePayment.objects.filter(pk=online.pk, status=Status.PENDING).update(
                status=Status.FAILED, finished_at=now
            ):
                audit_record(
                    actor=online.user,
                    community=online.community,
                    action="fees.online_payment_fail",
                    target=online,
                    after={"status": Status.FAILED},
                )
            online.refresh_from_db()
            return online
        payment = ledger.payment_record(
            actor=online.user,
            community=online.community,
            unit=online.unit,
            amount=online.amount,
            method=Payment.Method.ONLINE,
            idempotency_key=f"online-{online.reference}",
            fund=online.fund,
            payer_name=_payer_name(online.user),
            confirm_overpayment=True,
            provider_reference=provider_reference[:64],
            via_provider=True,
        )
        updated = OnlinePayment.objects.filter(pk=online.pk, status=Status.PENDING).update(
            status=Status.SUCCEEDED, payment=payment, finished_at=now
        )
        online.refresh_from_db()
        if updated:
            audit_record(
                actor=online.user,
                community=online.community,
                action="fees.online_payment_complete",
                target=online,
                after={"status": Status.SUCCEEDED, "receipt": payment.receipt_no, "amount": str(payment.amount)},
            )
            notify(
                recipient=online.user,
                title=f"在线缴费成功：{payment.amount} 元",
                body=f"{online.unit.label} 的缴费已入账，收据号 {payment.receipt_no}。",
                url=reverse("property:receipt", args=[payment.pk]),
            )
        return online


def online_payment_confirm(data, *, user=None) -> OnlinePayment:
    """Read a confirmation through the configured provider and complete the payment it names."""
    result = provider().confirm(data)
    return online_payment_complete(
        reference=result.reference,
        succeeded=result.succeeded,
        provider_reference=result.provider_reference,
        user=user,
    )
