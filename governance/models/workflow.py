from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState


def _community_of(obj):
    from governance.permissions import community_of

    return community_of(obj)


def _may_approve_in(user, community) -> bool:
    from governance.permissions import can_approve_notice

    return can_approve_notice(user, community)


def _submitter(obj):
    state = getattr(obj, "current_workflow_state", None)
    return state.requested_by if state is not None else None


class PeerReviewTaskMixin:
    """Wagtail task hooks for a step that only some reviewers take, and never the one who submitted: a subclass
    names who in `reviewer_allowed(obj, user)` and what anyone else is told in `refusal`. Superusers keep
    Wagtail's usual override."""

    refusal = ""

    def reviewer_allowed(self, obj, user) -> bool:
        raise NotImplementedError

    def user_may_review(self, obj, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        submitter = _submitter(obj)
        if submitter is not None and submitter.pk == user.pk:
            return False
        return self.reviewer_allowed(obj, user)

    def user_can_access_editor(self, obj, user):
        return self.user_may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_may_review(obj, user)

    def get_actions(self, obj, user):
        if self.user_may_review(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        if not self.user_may_review(task_state.workflow_state.content_object, user):
            raise PermissionDenied(self.refusal)
        return super().on_action(task_state, user, action_name, **kwargs)


class CommitteePeerApprovalTask(PeerReviewTaskMixin, Task):
    """Moderation step: another member of the page's own community committee approves (never the submitter);
    where no committee is in office, the community staff approve (C-15).

    A committee role in one community gives nothing in another; superusers keep Wagtail's usual override.
    """

    def start(self, workflow_state, user=None):
        from governance.services.notices import approval_requested_notify

        task_state = super().start(workflow_state, user=user)
        approval_requested_notify(page=workflow_state.content_object, submitter=user)
        return task_state

    refusal = _("Only another member of this community's owners' committee can approve.")

    def reviewer_allowed(self, obj, user) -> bool:
        return _may_approve_in(user, _community_of(obj))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        from home.models import CommunityPage
        from home.permissions import roles_in

        communities = [
            c for c in CommunityPage.objects.only("pk", "path") if roles_in(user, c.pk) and _may_approve_in(user, c)
        ]
        if not communities:
            return TaskState.objects.none()
        under = Page.objects.none()
        for community in communities:
            under = under | Page.objects.descendant_of(community, inclusive=True)
        page_ids = [str(pk) for pk in under.values_list("pk", flat=True)]
        return states.filter(workflow_state__object_id__in=page_ids).exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("Another member of the page's own owners' committee approves; never the one who submitted.")

    class Meta:
        verbose_name = _("approval by another committee member")
        verbose_name_plural = _("approvals by another committee member")
