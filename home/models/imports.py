from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterImport(models.Model):
    """One upload of a community's unit register (.xlsx), validated whole before anything is written."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("validating")
        WRITING = "writing", _("writing")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.CASCADE, related_name="register_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to="register-imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, column, message}]")
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self):
        return self.original_name

    @property
    def percent(self):
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
