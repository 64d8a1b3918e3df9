"""Renovation cost-sharing plans (V-12) and donations of money, materials and labour (捐资捐物、投工投劳)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CostSharePlan(models.Model):
    """The households' share of a renovation's cost, split over the units by a key (V-12).

    With no decision of the owners on another key, the split is by share of exclusive area. Issuing the plan
    creates one cost-share charge per unit; after that the plan is never changed.
    """

    class Key(models.TextChoices):
        EXCLUSIVE_AREA = "exclusive_area", _("by share of exclusive area (V-12 default)")
        EQUAL = "equal", _("equal per unit (decided by the owners)")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="cost_share_plans")
    title = models.CharField(_("title"), max_length=200)
    total = models.DecimalField(_("total to share (yuan)"), max_digits=14, decimal_places=2)
    key = models.CharField(_("apportionment key"), max_length=20, choices=Key.choices, default=Key.EXCLUSIVE_AREA)
    decision = models.ForeignKey(
        "governance.OwnersDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owners' decision"),
        help_text=_("Needed for any key other than exclusive area (V-12)."),
    )
    buildings = models.ManyToManyField("home.Building", blank=True, related_name="+", verbose_name=_("buildings"))
    due_on = models.DateField(_("due on"))
    issued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="cost_share_total_positive"),
            models.CheckConstraint(
                condition=Q(key="exclusive_area") | Q(decision__isnull=False),
                name="cost_share_other_key_needs_decision",
            ),
        ]
        verbose_name = _("cost-sharing plan")
        verbose_name_plural = _("cost-sharing plans")

    def __str__(self):
        return self.title


class Donation(models.Model):
    """A gift to the community's renovation or common good, acknowledged with a numbered receipt.

    Money enters the ledger (donations account); materials carry an estimated value and labour its hours, and
    both stay out of the cash balances. ``on_thanks_list`` is the donor's choice to appear by name, and the only
    field that changes after recording (the donor may opt out later); the money itself is in the journal.
    """

    class Kind(models.TextChoices):
        MONEY = "money", _("money")
        MATERIALS = "materials", _("materials")
        LABOUR = "labour", _("labour")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    donor_name = models.CharField(_("donor"), max_length=100)
    donor = models.ForeignKey("home.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("home.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    item = models.CharField(_("donated item"), max_length=100, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=20, blank=True, help_text=_("e.g. 袋, 米, 块"))
    estimated_value = models.DecimalField(
        _("estimated value (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(_("person-hours"), max_digits=8, decimal_places=1, null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    received_on = models.DateField(_("date"))
    receipt_no = models.CharField(_("receipt number"), max_length=30)
    on_thanks_list = models.BooleanField(_("name may appear on the thank-you list"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "receipt_no"], name="uniq_donation_receipt_no"),
            models.CheckConstraint(
                condition=(Q(kind="money") & Q(amount__gt=0))
                | (Q(kind="materials") & ~Q(item="") & Q(quantity__gt=0))
                | (Q(kind="labour") & Q(hours__gt=0)),
                name="donation_has_its_measure",
            ),
        ]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self):
        return self.receipt_no
