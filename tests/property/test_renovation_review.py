"""The five-level review pages (issue 8): each level passes in its own queue and in order, refusals in Chinese that
change nothing (skipping a level, another sub-district's officer, no opinion), return and reject, the queue with
its overdue flag and flat query count, and the read-only history for the community's members."""

import datetime
import re

import pytest
from django.urls import reverse

from home.models import CommunityRole, Notification
from home.services.roles import bureau_group
from property.domain import renovation as rules
from property.models import RenovationProject, ReviewStep
from property.services import renovation as services
from tests.factories import UserFactory, member
from tests.property.renovation_helpers import (
    application,
    other_sub_district_officer,
    pass_levels,
    renovation_city,
    reviewer_at,
)

pytestmark = pytest.mark.django_db
Stage = RenovationProject.Stage


def review_url(project):
    return reverse("property:renovation_review", args=[project.pk])


def decide(client, user, project, decision=rules.PASS, opinion="同意推荐。", level=None):
    client.force_login(user)
    project.refresh_from_db()
    data = {"level": level or project.review_level, "decision": decision, "opinion": opinion}
    return client.post(review_url(project), data)


def snapshot(project):
    project.refresh_from_db()
    return (project.stage, project.review_level, project.level_due_on, project.steps.count())


@pytest.fixture
def city():
    return renovation_city()


def test_each_level_passes_in_order_and_the_project_is_approved(client, city):
    project = application(city, submit=True)
    for level in rules.LEVELS:
        assert project.review_level == level
        client.force_login(reviewer_at(city, level))
        page = client.get(review_url(project))
        assert page.status_code == 200
        assert 'name="decision"' in page.content.decode()
        response = decide(client, reviewer_at(city, level), project, opinion=f"{rules.LEVEL_LABELS[level]}：同意。")
        assert response.status_code == 302 and response["Location"] == review_url(project)
        project.refresh_from_db()
    assert project.stage == Stage.APPROVED and project.review_level == ""
    steps = list(project.steps.order_by("decided_at", "id"))
    assert [step.level for step in steps] == ["", *rules.LEVELS]
    assert all(step.decision == rules.PASS for step in steps[1:])
    assert "审核人" in steps[-1].signed_as and "社区工作人员" in steps[1].signed_as
    client.force_login(city.committee)
    history = client.get(review_url(project)).content.decode()
    for level in rules.LEVELS:
        assert f"{rules.LEVEL_LABELS[level]}：同意。" in history
    assert 'name="decision"' not in history


def test_a_district_officer_cannot_skip_the_community_level(client, city):
    project = application(city, submit=True)
    before = snapshot(project)
    # Deciding at the district's own level while the project waits for the community: skipping a level.
    response = decide(client, city.district_officer, project, level=rules.DISTRICT)
    assert response.status_code == 403
    assert "不能越级审核" in response.content.decode() and "社区推荐" in response.content.decode()
    # Deciding at the community level in the community staff's place.
    response = decide(client, city.district_officer, project, level=rules.COMMUNITY)
    assert response.status_code == 403
    assert "您不是「社区推荐」环节的审核人" in response.content.decode()
    assert snapshot(project) == before
    # The district officer covers the community: history only, no form.
    page = client.get(review_url(project))
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()


def test_a_sub_district_officer_of_another_sub_district_is_refused(client, city):
    project = pass_levels(city, application(city, submit=True), levels=[rules.COMMUNITY])
    assert project.review_level == rules.SUB_DISTRICT
    stranger = other_sub_district_officer(city)
    before = snapshot(project)
    client.force_login(stranger)
    assert client.get(review_url(project)).status_code == 403
    response = decide(client, stranger, project)
    assert response.status_code == 403
    assert snapshot(project) == before
    # The queue of the other sub-district does not list it.
    queue = client.get(reverse("property:renovation_queue"))
    assert queue.status_code == 200 and project.title not in queue.content.decode()


def test_return_needs_what_to_fix_then_returns_and_tells_the_applicant(client, city):
    project = application(city, submit=True)
    before = snapshot(project)
    response = decide(client, city.community_staff, project, decision=rules.RETURN, opinion="  ")
    assert response.status_code == 400
    assert "请写明需要修改或不予通过的理由" in response.content.decode()
    assert snapshot(project) == before
    response = decide(
        client, city.community_staff, project, decision=rules.RETURN, opinion="请补充房屋结构安全鉴定报告。"
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.RETURNED and project.review_level == ""
    note = Notification.objects.filter(recipient=city.committee).first()
    assert "退回修改" in note.title and note.body == "请补充房屋结构安全鉴定报告。"
    client.force_login(city.committee)
    assert "请补充房屋结构安全鉴定报告。" in client.get(review_url(project)).content.decode()


def test_reject_ends_the_application(client, city):
    project = pass_levels(city, application(city, submit=True), levels=[rules.COMMUNITY, rules.SUB_DISTRICT])
    response = decide(client, city.district_officer, project, decision=rules.REJECT, opinion="该区域已列入征收计划。")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.REJECTED
    step = project.steps.order_by("-id").first()
    assert (step.level, step.decision, step.opinion) == (rules.DISTRICT, rules.REJECT, "该区域已列入征收计划。")
    assert Notification.objects.filter(recipient=city.committee, title__contains="不予通过").exists()
    # Nothing left to decide.
    assert 'name="decision"' not in client.get(review_url(project)).content.decode()


def test_a_missing_decision_changes_nothing(client, city):
    project = application(city, submit=True)
    before = snapshot(project)
    client.force_login(city.community_staff)
    response = client.post(review_url(project), {"level": rules.COMMUNITY, "opinion": "同意"})
    assert response.status_code == 400
    assert snapshot(project) == before


def test_members_read_the_history_only_and_strangers_get_403(client, city):
    project = application(city, submit=True)
    resident = member(city.community, CommunityRole.Role.RESIDENT)
    client.force_login(resident)
    page = client.get(review_url(project))
    assert page.status_code == 200
    assert 'name="decision"' not in page.content.decode()
    before = snapshot(project)
    assert decide(client, resident, project).status_code == 403
    assert snapshot(project) == before
    client.force_login(UserFactory())
    assert client.get(review_url(project)).status_code == 403
    client.logout()
    response = client.get(review_url(project))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the queue -------------------------------------------------------------------------------------------------


def at_level(projects, level, *, due_on=None):
    """Put submitted projects straight into a level's queue (test set-up; the chain itself is tested above)."""
    today = services.today()
    RenovationProject.objects.filter(pk__in=[p.pk for p in projects]).update(
        review_level=level, level_entered_on=today - datetime.timedelta(days=3), level_due_on=due_on or today
    )


def submitted(city, count):
    return [application(city, submit=True, title=f"改造申请{n}") for n in range(count)]


def test_each_reviewer_sees_the_queue_of_their_level_with_counts(client, city):
    projects = submitted(city, 3)
    at_level(projects[1:], rules.SUB_DISTRICT)
    client.force_login(city.community_staff)
    body = client.get(reverse("property:renovation_queue")).content.decode()
    assert "改造申请0" in body and "改造申请1" not in body
    assert city.community.title in body and "业主委员会" in body and "可纳入年度改造计划" in body
    client.force_login(city.sub_district_officer)
    body = client.get(reverse("property:renovation_queue")).content.decode()
    assert "改造申请1" in body and "改造申请2" in body and "改造申请0" not in body
    assert "街道办事处审核" in body
    client.force_login(city.city_officer)
    body = client.get(reverse("property:renovation_queue")).content.decode()
    assert "改造申请0" not in body and "改造申请1" not in body  # nothing at the city's level yet


def test_overdue_is_flagged_in_words_and_can_be_filtered(client, city):
    projects = submitted(city, 2)
    yesterday = services.today() - datetime.timedelta(days=1)
    at_level(projects[:1], rules.CITY, due_on=yesterday)
    at_level(projects[1:], rules.CITY, due_on=services.today())
    client.force_login(city.city_officer)
    body = client.get(reverse("property:renovation_queue")).content.decode()
    assert "改造申请0" in body and "改造申请1" in body
    assert body.count("已逾期") >= 2  # the row's flag and the level's count
    assert yesterday.isoformat() in body
    body = client.get(reverse("property:renovation_queue"), {"overdue": "1"}).content.decode()
    assert "改造申请0" in body and "改造申请1" not in body
    page = client.get(review_url(projects[0])).content.decode()
    assert "已逾期" in page


def test_a_decision_after_the_due_date_is_marked_overdue_in_the_history(client, city):
    project = application(city, submit=True)
    RenovationProject.objects.filter(pk=project.pk).update(level_due_on=services.today() - datetime.timedelta(days=2))
    assert decide(client, city.community_staff, project).status_code == 302
    step = ReviewStep.objects.filter(project=project, level=rules.COMMUNITY).get()
    assert step.overdue
    assert "逾期" in client.get(review_url(project)).content.decode()


@pytest.mark.parametrize("level", [rules.COMMUNITY, rules.CITY])
def test_the_queue_query_count_is_flat(client, django_assert_max_num_queries, city, level):
    reviewer = reviewer_at(city, level)
    at_level(submitted(city, 3), level)
    client.force_login(reviewer)
    client.get(reverse("property:renovation_queue"))  # the site's per-process caches, filled once
    with django_assert_max_num_queries(16) as few:
        assert client.get(reverse("property:renovation_queue")).status_code == 200
    at_level(submitted(city, 27), level)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("property:renovation_queue"))
    assert len(re.findall(r"/renovation/\d+/review/", response.content.decode())) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_users_who_review_nothing_get_a_403_explaining_who_reviews(client, city):
    client.force_login(member(city.community, CommunityRole.Role.OWNERS_COMMITTEE))
    response = client.get(reverse("property:renovation_queue"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "社区推荐" in body and "市相关部门会审" in body
    client.logout()
    assert client.get(reverse("property:renovation_queue")).status_code == 302


def test_bureau_staff_read_every_level_without_acting(client, city):
    project = application(city, submit=True)
    staff = UserFactory()
    staff.groups.add(bureau_group())
    client.force_login(staff)
    body = client.get(reverse("property:renovation_queue")).content.decode()
    assert project.title in body
    page = client.get(review_url(project)).content.decode()
    assert 'name="decision"' not in page
