"""Income-and-expenditure statements (收支公示) published to the community (F-08, F-10, V-10, V-11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ledger import Fund


class Disclosure(models.Model):
    """One account's statement for one period, frozen when published and posted as a disclosure notice.

    ``figures`` holds what the notice shows (opening balance, income and expenditure by category, closing
    balance, collection by month) as strings of yuan, so the statement never changes after publication.
    """

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="disclosures")
    fund = models.CharField(_("account"), max_length=20, choices=Fund.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(default=dict)
    notice = models.OneToOneField(
        "governance.NoticePage", on_delete=models.PROTECT, null=True, blank=True, related_name="disclosure"
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "fund"]
        constraints = [
            models.UniqueConstraint(fields=["community", "fund", "period_start", "period_end"], name="uniq_disclosure"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="disclosure_dates"),
        ]
        verbose_name = _("income and expenditure statement")
        verbose_name_plural = _("income and expenditure statements")

    def __str__(self):
        return f"{self.get_fund_display()} {self.period_start}–{self.period_end}"
