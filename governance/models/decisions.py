"""Owners' joint decisions (业主共同决定). Only the draft a committee starts, for instance from a topic of the
议事厅, exists so far; the art. 278 engine, ballots and results are the owners'-decision capability's."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OwnersDecision(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.PROTECT, related_name="owners_decisions")
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("owners' decision")
        verbose_name_plural = _("owners' decisions")

    def __str__(self):
        return self.title
