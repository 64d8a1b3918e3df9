from django.utils.translation import gettext_lazy as _
from wagtail.models import Task


class CommitteePeerApprovalTask(Task):
    """Moderation step: another member of the page's own community committee approves (never the submitter).

    The behaviour (who may approve) lives in governance/permissions.py; this model only names the task type.
    """

    class Meta:
        verbose_name = _("approval by another committee member")
        verbose_name_plural = _("approvals by another committee member")
