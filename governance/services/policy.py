"""Writers for policy guidance and Q&A. Each checks who may act (again, after the view), refuses bad input
with a Chinese ValidationError before writing, writes in one transaction with an audit entry, and tells the
asker on commit.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from governance.domain import policy as rules
from governance.models import (
    AnswerFeedback,
    PolicyAnswerPage,
    PolicyApprovalTask,
    PolicyAttachment,
    PolicyIndexPage,
    PolicyPage,
    PolicyQuestion,
    PolicyTopic,
)
from governance.permissions import (
    can_answer_question,
    can_approve_guidance,
    policy_official_of,
)
from governance.signals import policy_question_answered
from home import permissions as home_permissions
from home.services.audit import audit_record
from home.services.notifications import notify

TITLE_MIN, TITLE_MAX = 5, 120
DETAILS_MAX = 2000
ANSWER_MIN = 10
COMMENT_MAX = 200

PERSONAL_DATA_LABELS = {
    "name": "提问人的姓名",
    "phone": "电话号码",
    "id_number": "身份证号",
    "unit": "房号（楼栋、单元、室）",
}

WORKFLOW_NAME = "政策文件发布审批"
DRAFTER_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# The approvers also keep the topics and the list of officials who answer (admin snippets).
APPROVER_MODEL_PERMISSIONS = ("add_policytopic", "change_policytopic", "add_policyofficial", "change_policyofficial")


def _clean_text(value, *, label: str, minimum: int = 0, maximum: int) -> str:
    text = (value or "").strip()
    if len(text) < minimum:
        raise ValidationError(
            _("%(label)s: at least %(n)d characters.") % {"label": label, "n": minimum}
            if minimum > 1
            else _("%(label)s: this field is required.") % {"label": label}
        )
    if len(text) > maximum:
        raise ValidationError(_("%(label)s: at most %(n)d characters.") % {"label": label, "n": maximum})
    return text


def _question_url(question) -> str:
    return reverse("governance:policy_question", args=[question.pk])


def _tell_asker(question, title: str, url: str | None = None) -> None:
    notify(recipient=question.asker, title=title, body=question.title, url=url or _question_url(question))


# --- asking ---------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, asker, title, details="", community=None, topic=None, on_behalf_of="") -> PolicyQuestion:
    """A signed-in user asks; a community, if named, must be one the asker belongs to (it decides who answers).
    ``on_behalf_of`` names the property company a company question is asked for (the caller checks the post)."""
    if asker is None or not asker.is_authenticated:
        raise PermissionDenied(_("Sign in to ask a question."))
    title = _clean_text(title, label=pgettext("policy", "Question"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    details = _clean_text(details, label=_("Details"), maximum=DETAILS_MAX)
    if community is not None and not home_permissions.roles_in(asker, community):
        raise ValidationError(_("You can only name a community you belong to."))
    if topic is not None and not PolicyTopic.objects.filter(pk=topic.pk).exists():
        raise ValidationError(_("Choose one of the listed topics."))
    question = PolicyQuestion.objects.create(
        asker=asker, title=title, details=details, community=community, topic=topic, on_behalf_of=on_behalf_of[:100]
    )
    audit_record(actor=asker, community=community, action="policy_question.ask", target=question)
    return question


# --- the officials' desk ----------------------------------------------------------------------------------


def _require_answerer(actor, question) -> None:
    if not can_answer_question(actor, question):
        raise PermissionDenied(_("This question is outside your jurisdiction."))


def _move(question, action: str) -> str:
    status = rules.next_status(question.status, action)
    if status is None:
        raise ValidationError(
            _("Not possible while the question is %(status)s.") % {"status": question.get_status_display()}
        )
    return status


@transaction.atomic
def question_assign(*, actor, question: PolicyQuestion, assignee) -> PolicyQuestion:
    """Give the question to an official who may answer it (the actor too must cover it)."""
    question = PolicyQuestion.objects.select_for_update().get(pk=question.pk)
    _require_answerer(actor, question)
    if assignee is None or not can_answer_question(assignee, question):
        raise ValidationError(_("Assign it to an official whose jurisdiction covers this question."))
    before = {"status": question.status, "assigned_to": question.assigned_to_id}
    question.status = _move(question, "assign")
    question.assigned_to = assignee
    question.save(update_fields=["status", "assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        community=question.community,
        action="policy_question.assign",
        target=question,
        before=before,
        after={"status": question.status, "assigned_to": assignee.pk},
    )
    if assignee.pk != actor.pk:
        notify(
            recipient=assignee,
            title=_("A policy question was assigned to you"),
            body=question.title,
            url=_question_url(question),
        )
    return question


def _live_documents(documents) -> list[PolicyPage]:
    documents = list(documents or [])
    ids = {d.pk for d in documents}
    live = set(PolicyPage.objects.live().filter(pk__in=ids).values_list("pk", flat=True))
    if ids - live:
        raise ValidationError(_("Cite only published guidance documents."))
    return documents


@transaction.atomic
def answer_save(*, actor, question: PolicyQuestion, text, cited_documents=()) -> PolicyQuestion:
    """Send the official answer to the asker, or revise it. A revision of a published answer updates the public
    page too, which then shows when it was updated."""
    question = PolicyQuestion.objects.select_for_update().get(pk=question.pk)
    _require_answerer(actor, question)
    text = _clean_text(text, label=pgettext("policy", "Answer"), minimum=ANSWER_MIN, maximum=10000)
    documents = _live_documents(cited_documents)
    status = _move(question, "answer")
    page = PolicyAnswerPage.objects.filter(source_question=question).first()
    if page is not None:  # the revision goes to the public library too: checked like the first publication
        refuse_personal_data(question, text)
    official = policy_official_of(actor)
    now = timezone.now()
    revising = bool(question.answer)
    before = {"status": question.status, "answer": question.answer}
    question.status = status
    question.answer = text
    question.answered_by = actor
    question.answered_in_role = official.role_label if official else _("site administrator")
    question.answered_at = now
    question.save()
    question.cited_documents.set(documents)
    if page is not None:
        _republish_answer(page, question=question, actor=actor, documents=documents, now=now)
    audit_record(
        actor=actor,
        community=question.community,
        action="policy_question.revise" if revising else "policy_question.answer",
        target=question,
        before=before,
        after={"status": question.status, "answer": text, "cited": [d.pk for d in documents]},
    )
    _tell_asker(question, _("Your policy question was answered") if not revising else _("The answer was updated"))
    policy_question_answered.send(sender=PolicyQuestion, question=question)
    return question


def _republish_answer(page: PolicyAnswerPage, *, question, actor, documents, now) -> None:
    page.answer = question.answer
    page.answered_by_name = _official_name(actor)
    page.answered_in_role = question.answered_in_role
    page.revised_at = now
    page.cited_documents.set(documents)
    revision = page.save_revision(user=actor, log_action=True)
    if page.live:  # an answer an editor took out of the library stays out: only its draft is updated
        revision.publish(user=actor, skip_permission_checks=True)  # checked above, by jurisdiction


def _official_name(user) -> str:
    person = getattr(user, "person", None)
    return (person.full_name if person else "") or user.get_full_name() or user.get_username()


def asker_facts(question: PolicyQuestion) -> rules.AskerFacts:
    """The asker's name, phone and unit labels, for the personal-data check before publishing."""
    from home.models import Person, Unit

    person = Person.objects.filter(user_id=question.asker_id).first()
    labels = ()
    if person is not None:
        units = Unit.objects.filter(residencies__person=person).select_related("entrance__building")
        owned = Unit.objects.filter(ownerships__person=person).select_related("entrance__building")
        labels = tuple({u.label for u in [*units, *owned]})
    return rules.AskerFacts(
        name=person.full_name if person else question.asker.get_full_name(),
        phone=(person.phone if person else "") or question.asker.phone or "",
        unit_labels=labels,
    )


def refuse_personal_data(question: PolicyQuestion, *texts: str) -> None:
    """Refuses (ValidationError) if any text meant for the public library carries the asker's personal data."""
    found = []
    facts = asker_facts(question)
    for text in texts:
        for kind in rules.personal_data_found(text, facts):
            if kind not in found:
                found.append(kind)
    if found:
        raise ValidationError(
            _("The public copy still contains %(what)s: remove it before publishing.")
            % {"what": "、".join(PERSONAL_DATA_LABELS[k] for k in found)}
        )


def _unique_slug(index: PolicyIndexPage, base: str) -> str:
    slug = slugify(base, allow_unicode=True)[:60] or "answer"
    candidate, n = slug, 2
    while PolicyAnswerPage.objects.child_of(index).filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def answer_publish(*, actor, question: PolicyQuestion, public_title, public_question, topics=()) -> PolicyAnswerPage:
    """Publish an answered question to the public library as a PolicyAnswerPage, anonymised: the public title
    and question are rewritten by the official, and neither they nor the answer may carry the asker's name,
    phone, ID number or unit (D-01, D-05)."""
    question = PolicyQuestion.objects.select_for_update().get(pk=question.pk)
    _require_answerer(actor, question)
    status = _move(question, "publish")
    public_title = _clean_text(public_title, label=_("Public title"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    public_question = _clean_text(public_question, label=_("Public question"), minimum=TITLE_MIN, maximum=DETAILS_MAX)
    refuse_personal_data(question, public_title, public_question, question.answer)
    index = PolicyIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("The policy library page does not exist yet."))
    page = PolicyAnswerPage(
        title=public_title,
        slug=_unique_slug(index, f"answer-{question.pk}"),
        question=public_question,
        answer=question.answer,
        answered_by_name=_official_name(question.answered_by or actor),
        answered_in_role=question.answered_in_role,
        answered_at=question.answered_at or timezone.now(),
        source_question=question,
        owner=actor,
    )
    index.add_child(instance=page)
    page.topics.set(topics)
    page.cited_documents.set(question.cited_documents.all())
    page.save_revision(user=actor, log_action=True).publish(
        user=actor, skip_permission_checks=True
    )  # checked above, by jurisdiction
    question.status = status
    question.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        community=question.community,
        action="policy_question.publish",
        target=question,
        after={"page": page.pk, "title": public_title},
    )
    _tell_asker(question, _("The answer to your question is now in the public library"), url=page.url)
    return page


@transaction.atomic
def question_close_duplicate(*, actor, question: PolicyQuestion, answer_page: PolicyAnswerPage) -> PolicyQuestion:
    """Close a question already answered in the library, pointing the asker to that answer."""
    question = PolicyQuestion.objects.select_for_update().get(pk=question.pk)
    _require_answerer(actor, question)
    if answer_page is None or not PolicyAnswerPage.objects.live().filter(pk=answer_page.pk).exists():
        raise ValidationError(_("Point to a published answer."))
    status = _move(question, "close_duplicate")
    question.status = status
    question.duplicate_of = answer_page
    question.save(update_fields=["status", "duplicate_of", "updated_at"])
    audit_record(
        actor=actor,
        community=question.community,
        action="policy_question.close_duplicate",
        target=question,
        after={"duplicate_of": answer_page.pk},
    )
    _tell_asker(question, _("Your question is already answered in the library"), url=answer_page.url)
    return question


# --- readers' feedback --------------------------------------------------------------------------------------


@transaction.atomic
def answer_feedback_record(*, user, page: PolicyAnswerPage, helpful: bool, comment="") -> AnswerFeedback:
    """One rating per reader and answer; rating again replaces the reader's earlier one."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to rate an answer."))
    if not PolicyAnswerPage.objects.live().filter(pk=page.pk).exists():
        raise ValidationError(_("This answer is not published."))
    comment = _clean_text(comment, label=_("What was missing"), maximum=COMMENT_MAX)
    feedback, _created = AnswerFeedback.objects.update_or_create(
        page=page, user=user, defaults={"helpful": bool(helpful), "comment": comment}
    )
    return feedback


# --- guidance documents ---------------------------------------------------------------------------------------


@transaction.atomic
def policy_permissions_ensure() -> Workflow | None:
    """Bureau staff draft guidance under the policy index and submit it; the approvers' workflow step publishes
    it (never the submitter). Residents and committees have no permission there. Idempotent."""
    index = PolicyIndexPage.objects.first()
    if index is None:
        return None
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    drafters, _created = Group.objects.get_or_create(name=settings.PORTAL_BUREAU_GROUP)
    approvers, _created = Group.objects.get_or_create(name=settings.PORTAL_POLICY_APPROVER_GROUP)
    for group, codenames in ((drafters, DRAFTER_PAGE_PERMISSIONS), (approvers, APPROVER_PAGE_PERMISSIONS)):
        group.permissions.add(admin_access)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    for codename in APPROVER_MODEL_PERMISSIONS:
        approvers.permissions.add(Permission.objects.get(content_type__app_label="governance", codename=codename))
    assigned = WorkflowPage.objects.filter(page=index).select_related("workflow").first()
    if assigned is not None:
        return assigned.workflow
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.workflow_tasks.exists():
        task, _created = PolicyApprovalTask.objects.get_or_create(name="住建局审核")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)
    return workflow


@transaction.atomic
def guidance_publish(*, actor, page: PolicyPage, topics=(), attachments=()) -> PolicyPage:
    """Publish a guidance document directly: for approvers only (the demo and imports). Everyone else goes
    through the admin's workflow, where an approver publishes."""
    if not can_approve_guidance(actor):
        raise PermissionDenied(_("Only the bureau's approvers publish guidance documents."))
    index = PolicyIndexPage.objects.first()
    if index is None:
        raise ValidationError(_("The policy library page does not exist yet."))
    if page.pk is None:
        page.owner = actor
        index.add_child(instance=page)
    page.topics.set(topics)
    for position, document in enumerate(attachments):
        page.attachments.add(PolicyAttachment(document=document, sort_order=position))
    page.save_revision(user=actor, log_action=True).publish(
        user=actor, skip_permission_checks=True
    )  # checked above, by jurisdiction
    audit_record(actor=actor, community=None, action="policy_document.publish", target=page)
    return page
