"""Notices are published by the committee through a workflow: another member of the SAME committee approves."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from governance.models import CommitteePeerApprovalTask, NoticePage
from governance.services.notices import notice_workflow_ensure
from home.models import CommunityRole
from tests.factories import CommunityPageFactory, member
from tests.governance.notice_helpers import notice_add

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role


@pytest.fixture
def community():
    community = CommunityPageFactory()
    notice_workflow_ensure(community)
    return community


def submitted(community, submitter) -> NoticePage:
    notice = notice_add(community, publish=False)
    notice.get_workflow().start(notice, submitter)
    notice.refresh_from_db()
    return notice


def task_state_of(notice):
    return notice.current_workflow_task_state.specific


def test_workflow_ensure_is_idempotent_one_per_community(community):
    first = notice_workflow_ensure(community)
    assert notice_workflow_ensure(community) == first
    assert WorkflowPage.objects.filter(page=community).count() == 1
    other = CommunityPageFactory()
    assert notice_workflow_ensure(other) != first
    assert [type(t.specific) for t in first.tasks] == [CommitteePeerApprovalTask]


def test_notice_under_community_uses_its_workflow(community):
    notice = notice_add(community, publish=False)
    assert notice.get_workflow() == Workflow.objects.get(workflow_pages__page=community)


def test_submitter_cannot_approve_own_notice(community):
    author = member(community, Role.OWNERS_COMMITTEE)
    notice = submitted(community, author)
    task = task_state_of(notice).task.specific
    assert task.get_actions(notice, author) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state_of(notice), author, "approve")
    notice.refresh_from_db()
    assert not notice.live


def test_another_committee_member_of_same_community_approves_and_it_is_published(community):
    author, peer = member(community, Role.OWNERS_COMMITTEE), member(community, Role.OWNERS_COMMITTEE)
    notice = submitted(community, author)
    task = task_state_of(notice).task.specific
    assert [name for name, _label, _modal in task.get_actions(notice, peer)] == ["reject", "approve", "approve"]
    assert task.get_task_states_user_can_moderate(peer).count() == 1
    task.on_action(task_state_of(notice), peer, "approve")
    notice.refresh_from_db()
    assert notice.live


def test_committee_member_of_b_cannot_approve_a_notice_of_a(community):
    author = member(community, Role.OWNERS_COMMITTEE)
    stranger = member(CommunityPageFactory(), Role.OWNERS_COMMITTEE)
    notice = submitted(community, author)
    task = task_state_of(notice).task.specific
    assert task.get_actions(notice, stranger) == []
    assert task.get_task_states_user_can_moderate(stranger).count() == 0
    with pytest.raises(PermissionDenied):
        task.on_action(task_state_of(notice), stranger, "approve")


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.COMMUNITY_STAFF, Role.DELIBERATION_COUNCIL])
def test_non_committee_roles_cannot_approve(community, role):
    member(community, Role.OWNERS_COMMITTEE)  # a committee is in office, so it alone approves
    notice = submitted(community, member(community, Role.COMMUNITY_STAFF))
    user = member(community, role)
    with pytest.raises(PermissionDenied):
        task_state_of(notice).task.specific.on_action(task_state_of(notice), user, "approve")


def test_c15_without_a_committee_in_office_community_staff_approve_but_not_their_own(community):
    author, colleague = member(community, Role.COMMUNITY_STAFF), member(community, Role.COMMUNITY_STAFF)
    notice = submitted(community, author)
    task = task_state_of(notice).task.specific
    assert task.get_actions(notice, author) == []
    assert task.get_task_states_user_can_moderate(colleague).count() == 1
    task.on_action(task_state_of(notice), colleague, "approve")
    notice.refresh_from_db()
    assert notice.live


def test_c15_community_staff_stop_approving_once_a_committee_is_in_office(community):
    staff = member(community, Role.COMMUNITY_STAFF)
    notice = submitted(community, member(community, Role.COMMUNITY_STAFF))
    member(community, Role.OWNERS_COMMITTEE)
    with pytest.raises(PermissionDenied):
        task_state_of(notice).task.specific.on_action(task_state_of(notice), staff, "approve")


def test_submitter_does_not_see_own_notice_in_moderation_queue(community):
    author = member(community, Role.OWNERS_COMMITTEE)
    notice = submitted(community, author)
    assert task_state_of(notice).task.specific.get_task_states_user_can_moderate(author).count() == 0


def test_committee_member_of_a_cannot_publish_or_edit_a_notice_in_b(community):
    other = CommunityPageFactory()
    notice_in_b = notice_add(other, publish=False)
    member_of_a = member(community, Role.OWNERS_COMMITTEE)
    permissions = notice_in_b.permissions_for_user(member_of_a)
    assert not permissions.can_publish()
    assert not permissions.can_edit()
    assert not other.permissions_for_user(member_of_a).can_add_subpage()


def edit_form_data(notice, **extra):
    return nested_form_data(
        {
            "title": notice.title,
            "slug": notice.slug,
            "notice_type": notice.notice_type,
            "audience": notice.audience,
            "issuer": "业委会",
            "body": rich_text("<p>明天停水</p>"),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def test_publish_in_the_admin_by_a_committee_member_becomes_a_submission(client, community):
    author = member(community, Role.OWNERS_COMMITTEE)
    notice = notice_add(community, publish=False)
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[notice.pk]), edit_form_data(notice, **{"action-publish": "1"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice.refresh_from_db()
    assert not notice.live
    assert notice.current_workflow_state is not None
    assert notice.current_workflow_state.requested_by == author


def test_publish_button_is_hidden_on_notices_for_committee_members(client, community):
    author = member(community, Role.OWNERS_COMMITTEE)
    notice = notice_add(community, publish=False)
    client.force_login(author)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[notice.pk])).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def create_form_data(buildings=(), **extra):
    data = nested_form_data(
        {
            "title": "加装电梯意愿征询说明",
            "slug": "jiazhuang-dianti",
            "notice_type": NoticePage.Type.GENERAL,
            "audience": NoticePage.Audience.COMMUNITY,
            "body": rich_text("<p>说明</p>"),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            **extra,
        }
    )
    if buildings:
        data["buildings"] = [str(pk) for pk in buildings]  # a multiple choice, not a nested form
    return data


def add_url(community):
    return reverse("wagtailadmin_pages:add", args=["governance", "noticepage", community.pk])


def test_committee_member_of_a_cannot_add_a_notice_in_b_in_the_admin(client, community):
    other = CommunityPageFactory()
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.post(add_url(other), create_form_data(**{"action-publish": "1"}))
    assert response.status_code in (302, 403)
    assert not NoticePage.objects.child_of(other).exists()


def test_community_staff_notice_goes_to_the_committee_for_approval(client, community):
    """Community (sub-district) staff post to the community through the same workflow: they never publish."""
    staff, approver = member(community, Role.COMMUNITY_STAFF), member(community, Role.OWNERS_COMMITTEE)
    client.force_login(staff)
    response = client.post(add_url(community), create_form_data(**{"action-submit": "1"}))
    assert response.status_code == 302
    notice = NoticePage.objects.child_of(community).get()
    assert not notice.live and notice.current_workflow_state.requested_by == staff
    task = notice.current_workflow_task_state.task.specific
    task.on_action(notice.current_workflow_task_state.specific, approver, "approve")
    notice.refresh_from_db()
    assert notice.live


def test_new_committee_notice_published_in_the_admin_waits_for_approval(client, community):
    author = member(community, Role.OWNERS_COMMITTEE)
    client.force_login(author)
    response = client.post(add_url(community), create_form_data(**{"action-publish": "1"}))
    assert response.status_code == 302
    notice = NoticePage.objects.child_of(community).get()
    assert not notice.live
    assert notice.current_workflow_state.requested_by == author


def test_submission_notifies_the_other_committee_members_of_that_community_only(community):
    from home.models import Notification

    author, peer = member(community, Role.OWNERS_COMMITTEE), member(community, Role.OWNERS_COMMITTEE)
    stranger = member(CommunityPageFactory(), Role.OWNERS_COMMITTEE)
    notice = submitted(community, author)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [peer.pk]
    assert notice.title in Notification.objects.get().title
    assert stranger.pk != peer.pk


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"notice_type": NoticePage.Type.DISCLOSURE}, "disclosure_category"),  # C-09 category required
        ({"disclosure_category": NoticePage.DisclosureCategory.PARKING}, "disclosure_category"),
        ({"audience": NoticePage.Audience.BUILDINGS}, "buildings"),
        ({"notice_type": NoticePage.Type.EMERGENCY}, "expire_at"),
    ],
)
def test_editor_refuses_incomplete_notices_and_creates_nothing(client, community, fields, error_field):
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    response = client.post(add_url(community), create_form_data(**fields, **{"action-submit": "1"}))
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not NoticePage.objects.exists()


def test_editor_refuses_a_building_of_another_community(client, community):
    from tests.factories import BuildingFactory

    foreign = BuildingFactory(community=CommunityPageFactory())
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    data = create_form_data(audience=NoticePage.Audience.BUILDINGS, buildings=[foreign.pk], **{"action-submit": "1"})
    response = client.post(add_url(community), data)
    assert response.status_code == 200
    assert "buildings" in response.context["form"].errors


def test_editor_accepts_a_building_notice_of_its_own_community(client, community):
    from tests.factories import BuildingFactory

    own = BuildingFactory(community=community)
    client.force_login(member(community, Role.OWNERS_COMMITTEE))
    data = create_form_data(audience=NoticePage.Audience.BUILDINGS, buildings=[own.pk], **{"action-submit": "1"})
    response = client.post(add_url(community), data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(NoticePage.objects.get().buildings.all()) == [own]


def test_bureau_staff_post_a_notice_to_any_community_directly(client, community):
    from home.services.roles import bureau_group
    from tests.factories import UserFactory

    officer = UserFactory()
    bureau_group().user_set.add(officer)
    client.force_login(officer)
    response = client.post(add_url(community), create_form_data(**{"action-publish": "1"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = NoticePage.objects.child_of(community).get()
    assert notice.live
    assert notice.current_workflow_state is None
