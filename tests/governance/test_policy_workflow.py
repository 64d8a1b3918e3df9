"""Guidance documents go live only through the bureau's approval workflow (政策文件发布审批): residents and
committees cannot write under the policy index at all, a bureau drafter creates and submits but never publishes,
and an approver other than the submitter approves (PolicyApprovalTask)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from governance.models import PolicyApprovalTask, PolicyPage
from governance.services.policy import guidance_publish, policy_permissions_ensure
from home.models import CommunityRole
from tests.factories import CommunityPageFactory, UserFactory, member
from tests.governance.policy_helpers import approver, policy_index, topic

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
TITLE = "老旧小区改造后长效管理工作指引"


@pytest.fixture
def index():
    index = policy_index()
    policy_permissions_ensure()
    return index


@pytest.fixture
def drafter():
    """Bureau staff: may draft guidance and submit it, is not an approver."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name=settings.PORTAL_BUREAU_GROUP))
    return user


def add_url(index):
    return reverse("wagtailadmin_pages:add", args=["governance", "policypage", index.pk])


def form_data(action: str, **extra):
    return nested_form_data(
        {
            "title": TITLE,
            "slug": "changxiao-guanli",
            "document_number": "",
            "issuer": "新乡市住房和城乡建设局",
            "level": PolicyPage.Level.MUNICIPAL,
            "issued_on": "2026-11-20",
            "effective_on": "",
            "status": PolicyPage.Status.IN_FORCE,
            "replaced_by": "",
            "summary": "改造完成后三种物业管理方式的选择步骤。",
            "body": rich_text("<p>有条件的小区引入专业化物业服务。</p>"),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            action: "1",
            **extra,
        }
    )


def submit_in_admin(client, user, index) -> PolicyPage:
    client.force_login(user)
    response = client.post(add_url(index), form_data("action-submit"))
    assert response.status_code == 302, response.content.decode()[:2000]
    return PolicyPage.objects.get(title=TITLE)


def in_progress(page) -> WorkflowState:
    return WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)


def test_the_policy_index_has_the_approval_workflow(index):
    workflow = index.get_workflow()
    assert workflow is not None and workflow.active
    assert [type(task.specific) for task in workflow.tasks] == [PolicyApprovalTask]


def test_a_resident_cannot_create_guidance_in_the_admin(client, index):
    resident = member(CommunityPageFactory(), Role.RESIDENT)
    client.force_login(resident)
    assert client.get(add_url(index)).status_code in (302, 403)
    response = client.post(add_url(index), form_data("action-publish"))
    assert response.status_code in (302, 403)
    assert not PolicyPage.objects.exists()


def test_a_committee_member_with_page_rights_on_the_community_cannot_create_guidance(client, index):
    community = CommunityPageFactory()
    committee = member(community, Role.OWNERS_COMMITTEE)
    assert community.permissions_for_user(committee).can_add_subpage()  # rights on their own community only
    assert not index.permissions_for_user(committee).can_add_subpage()
    client.force_login(committee)
    assert client.get(add_url(index)).status_code in (302, 403)
    response = client.post(add_url(index), form_data("action-publish"))
    assert response.status_code in (302, 403)
    assert not PolicyPage.objects.exists()


@pytest.mark.parametrize("who", ["resident", "committee", "drafter"])
def test_only_approvers_publish_guidance_through_the_service(index, drafter, who):
    community = CommunityPageFactory()
    actor = {
        "resident": lambda: member(community, Role.RESIDENT),
        "committee": lambda: member(community, Role.OWNERS_COMMITTEE),
        "drafter": lambda: drafter,
    }[who]()
    page = PolicyPage(
        title=TITLE,
        slug="changxiao",
        issuer="新乡市住房和城乡建设局",
        level=PolicyPage.Level.MUNICIPAL,
        issued_on="2026-11-20",
        summary="摘要",
        body="<p>正文</p>",
    )
    with pytest.raises(PermissionDenied):
        guidance_publish(actor=actor, page=page, topics=[topic()])
    assert not PolicyPage.objects.exists()


def test_a_drafter_is_not_offered_publish_and_submits_instead(client, index, drafter):
    assert index.permissions_for_user(drafter).can_add_subpage()
    assert not index.permissions_for_user(drafter).can_publish_subpage()
    client.force_login(drafter)
    html = client.get(add_url(index)).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_a_drafters_publish_post_leaves_a_draft(client, index, drafter):
    client.force_login(drafter)
    response = client.post(add_url(index), form_data("action-publish"))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = PolicyPage.objects.get(title=TITLE)
    assert not page.live
    assert not page.permissions_for_user(drafter).can_publish()


def test_the_approver_approves_a_drafters_submission_and_it_goes_live(client, index, drafter):
    page = submit_in_admin(client, drafter, index)
    state = in_progress(page)
    assert state.requested_by == drafter and not page.live
    boss = approver()
    client.force_login(boss)
    task_state = state.current_task_state
    assert task_state.task.specific.get_task_states_user_can_moderate(boss).count() == 1
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {})
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live
    assert not WorkflowState.objects.filter(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS).exists()


def test_a_drafter_cannot_approve_another_drafters_submission(client, index, drafter):
    page = submit_in_admin(client, drafter, index)
    colleague = UserFactory()
    colleague.groups.add(Group.objects.get(name=settings.PORTAL_BUREAU_GROUP))
    task_state = in_progress(page).current_task_state
    task = task_state.task.specific
    assert not task.user_may_review(page, colleague)
    assert task.get_actions(page, colleague) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, colleague, "approve")
    page.refresh_from_db()
    assert not page.live


def test_an_approver_cannot_approve_their_own_submission(client, index):
    boss = approver()
    page = submit_in_admin(client, boss, index)
    task_state = in_progress(page).current_task_state
    task = task_state.task.specific
    assert not task.user_may_review(page, boss)
    assert task.get_actions(page, boss) == []
    assert task.get_task_states_user_can_moderate(boss).count() == 0
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {})
    page.refresh_from_db()
    assert not page.live
    assert in_progress(page).requested_by == boss


# --- the 政策问答 admin menu: topics and officials ----------------------------------------------------------------


@pytest.mark.parametrize("model", ["policytopic", "policyofficial"])
def test_topics_and_officials_are_edited_in_the_admin_in_chinese(client, model):
    from governance.models import PolicyOfficial
    from tests.governance.policy_helpers import official

    topic("物业管理")
    official(UserFactory(full_name="赵建国"))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse(f"wagtailsnippets_governance_{model}:list")).content.decode()
    assert {"policytopic": "物业管理", "policyofficial": "物业管理科科长"}[model] in html
    assert {"policytopic": "政策主题", "policyofficial": "政策答复人员"}[model] in html
    assert PolicyOfficial.objects.count() == 1


@pytest.mark.parametrize("model", ["policytopic", "policyofficial"])
def test_residents_and_committees_cannot_edit_who_answers_policy_questions(client, model):
    community = CommunityPageFactory()
    for user in (member(community, Role.RESIDENT), member(community, Role.OWNERS_COMMITTEE)):
        client.force_login(user)
        assert client.get(reverse(f"wagtailsnippets_governance_{model}:list")).status_code in (302, 403)
        assert client.get(reverse(f"wagtailsnippets_governance_{model}:add")).status_code in (302, 403)
