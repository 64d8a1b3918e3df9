"""Repair requests and service quality (issue 9): a resident files with a photo, the company assigns and
finishes, the resident confirms with a rating, all through the pages; nobody else confirms (the company, a
committee member); a resident of another community reads and files nothing; another company's staff get 403 on
the queue; a request for somebody else's home is refused; query counts stay flat; the quality figures are exact."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from home.models import Unit
from home.services.notifications import notify  # noqa: F401 (the writer notifies; nothing to patch)
from property import repair_selectors as selectors
from property.models import RepairEvent, RepairPhoto, RepairRequest
from property.services import management as services
from tests.property.management_helpers import company_with_staff, contract_in_force, managed_community
from tests.property.test_renovation_public import png_bytes

pytestmark = pytest.mark.django_db


def go(name, *args):
    return reverse(f"property:{name}", args=args)


def photo(name="leak.png", content=None):
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type="image/png")


@pytest.fixture
def served():
    mc = managed_community()
    company, manager, repairer = company_with_staff(service_phone="0373-1234567")
    contract_in_force(mc, company)
    return mc, company, manager, repairer


def file_one(mc, *, urgency="normal", now=None, **overrides):
    data = {
        "actor": mc.resident,
        "community": mc.community,
        "where": "common",
        "location": "1号楼楼道",
        "category": "electric",
        "description": "楼道灯不亮",
        "urgency": urgency,
        "now": now,
    }
    data.update(overrides)
    return services.repair_file(**data)


def form_data(**overrides):
    data = {
        "where": "common",
        "unit": "",
        "location": "1号楼2单元四楼楼道",
        "category": "water",
        "urgency": "urgent",
        "description": "水管漏水，楼梯上全是水",
    }
    data.update(overrides)
    return data


# --- the whole path through the pages -------------------------------------------------------------------------


def test_file_assign_finish_confirm_through_the_pages(client, served):
    mc, company, manager, repairer = served
    client.force_login(mc.resident)
    page = client.get(go("repair_new", mc.community.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert company.name in text and "0373-1234567" in text
    response = client.post(go("repair_new", mc.community.pk), {**form_data(), "photo_1": photo()})
    assert response.status_code == 302
    repair = RepairRequest.objects.get()
    assert response.url == go("repair", repair.pk)
    assert repair.company == company and repair.urgency == "urgent"
    assert repair.due_at == repair.filed_at + datetime.timedelta(hours=24)
    assert RepairPhoto.objects.filter(request=repair, stage="reported").count() == 1
    mine = client.get(go("repair_list"))
    assert mine.status_code == 200 and repair.location in mine.content.decode()
    assert "我提交的报修" in mine.content.decode() and "给排水" in mine.content.decode()  # the catalog is built

    client.force_login(manager)
    queue = client.get(go("repair_queue", mc.community.pk))
    assert queue.status_code == 200 and repair.location in queue.content.decode()
    response = client.post(go("repair", repair.pk), {"action": "assign", "assign-assignee": repairer.pk})
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == "assigned" and repair.assigned_to == repairer

    client.force_login(repairer)
    response = client.post(
        go("repair", repair.pk),
        {"action": "finish", "finish-note": "更换了水管接头", "finish-photo": photo("after.png")},
    )
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == "done" and repair.done_at is not None
    assert RepairPhoto.objects.filter(request=repair, stage="repaired").count() == 1

    client.force_login(mc.resident)
    page = client.get(go("repair", repair.pk)).content.decode()
    assert 'type="radio" name="confirm-rating"' in page and "<fieldset" in page
    response = client.post(
        go("repair", repair.pk), {"action": "confirm", "confirm-rating": "4", "confirm-note": "及时"}
    )
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == "closed" and repair.rating == 4 and repair.rating_comment == "及时"
    actions = list(RepairEvent.objects.filter(request=repair).values_list("action", flat=True))
    assert actions == ["file", "assign", "finish", "confirm"]
    # The resident sees the repairer by company and title, not by name
    page = client.get(go("repair", repair.pk)).content.decode()
    assert "维修工" in page and repairer.full_name not in page


def test_the_company_cannot_confirm_on_behalf_of_the_resident(client, served):
    mc, _company, manager, repairer = served
    repair = file_one(mc)
    services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=repair, action="finish", note="修好了")
    client.force_login(manager)
    page = client.get(go("repair", repair.pk)).content.decode()
    assert 'name="confirm-rating"' not in page
    response = client.post(go("repair", repair.pk), {"action": "confirm", "confirm-rating": "5"})
    assert response.status_code == 403
    assert "只有报修的居民本人才能确认完成" in response.content.decode()
    repair.refresh_from_db()
    assert repair.status == "done" and repair.rating is None


def test_a_committee_member_cannot_confirm(client, served):
    mc, _company, manager, repairer = served
    repair = file_one(mc)
    services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=repair, action="finish", note="修好了")
    client.force_login(mc.committee)
    assert client.get(go("repair", repair.pk)).status_code == 200
    response = client.post(go("repair", repair.pk), {"action": "confirm", "confirm-rating": "5"})
    assert response.status_code == 403
    assert "只有报修的居民本人才能确认完成" in response.content.decode()
    repair.refresh_from_db()
    assert repair.status == "done"


def test_the_resident_sends_it_back_with_a_note_and_cancels_only_before_work(client, served):
    mc, _company, manager, repairer = served
    repair = file_one(mc)
    services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=repair, action="finish", note="修好了")
    client.force_login(mc.resident)
    response = client.post(go("repair", repair.pk), {"action": "reopen", "reopen-note": ""})
    assert response.status_code == 400
    response = client.post(go("repair", repair.pk), {"action": "reopen", "reopen-note": "灯还是不亮"})
    assert response.status_code == 302
    repair.refresh_from_db()
    assert repair.status == "in_progress"
    response = client.post(go("repair", repair.pk), {"action": "cancel"})
    assert response.status_code == 400 and "当前的状态不能这样操作" in response.content.decode()
    other = file_one(mc, location="2号楼门禁")
    assert client.post(go("repair", other.pk), {"action": "cancel"}).status_code == 302
    other.refresh_from_db()
    assert other.status == "cancelled"


# --- scope ----------------------------------------------------------------------------------------------------


def test_a_resident_of_another_community_cannot_read_or_file(client, served):
    mc, _company, _manager, _repairer = served
    repair = file_one(mc)
    elsewhere = managed_community()
    client.force_login(elsewhere.resident)
    assert client.get(go("repair", repair.pk)).status_code == 403
    assert client.get(go("repair_new", mc.community.pk)).status_code == 403
    assert client.post(go("repair_new", mc.community.pk), form_data()).status_code == 403
    assert client.get(go("repair_oversight", mc.community.pk)).status_code == 403
    assert client.get(go("repair_queue", mc.community.pk)).status_code == 403
    # the committee of the other community gives nothing here either
    client.force_login(elsewhere.committee)
    assert client.get(go("repair", repair.pk)).status_code == 403
    assert client.get(go("repair_oversight", mc.community.pk)).status_code == 403
    assert RepairRequest.objects.count() == 1


def test_another_companys_staff_get_403_on_the_queue(client, served):
    mc, _company, _manager, _repairer = served
    repair = file_one(mc)
    other = managed_community()
    other_company, other_manager, _other_repairer = company_with_staff()
    contract_in_force(other, other_company)
    client.force_login(other_manager)
    assert client.get(go("repair_queue", other.community.pk)).status_code == 200
    assert client.get(go("repair_queue", mc.community.pk)).status_code == 403
    assert client.get(go("repair", repair.pk)).status_code == 403
    assert client.post(go("repair", repair.pk), {"action": "start"}).status_code == 403


def test_a_request_for_somebody_elses_home_is_refused(client, served):
    mc, _company, _manager, _repairer = served
    not_mine = Unit.objects.filter(entrance__building__community=mc.community).exclude(pk=mc.unit.pk).first()
    client.force_login(mc.resident)
    response = client.post(go("repair_new", mc.community.pk), form_data(where="own_unit", unit=not_mine.pk))
    assert response.status_code == 400 and not RepairRequest.objects.exists()
    response = client.post(go("repair_new", mc.community.pk), form_data(where="own_unit", unit=mc.unit.pk))
    assert response.status_code == 302
    assert RepairRequest.objects.get().unit == mc.unit


def test_a_file_that_is_not_a_picture_is_refused(client, served):
    mc, *_ = served
    client.force_login(mc.resident)
    upload = SimpleUploadedFile("leak.png", b"not a picture", content_type="image/png")
    response = client.post(go("repair_new", mc.community.pk), {**form_data(), "photo_1": upload})
    assert response.status_code == 400 and not RepairRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, served):
    mc, *_ = served
    repair = file_one(mc)
    for url in (go("repair_list"), go("repair", repair.pk), go("repair_queue", mc.community.pk)):
        assert client.get(url).status_code == 302


# --- queue, oversight and overdue -----------------------------------------------------------------------------


def test_the_queue_puts_overdue_first_and_filters(client, served):
    mc, _company, manager, repairer = served
    now = timezone.now()
    late = file_one(mc, location="超时的", urgency="urgent", now=now - datetime.timedelta(hours=30))
    fresh = file_one(mc, location="新的", urgency="urgent", now=now - datetime.timedelta(hours=1))
    soon = file_one(mc, location="普通的", now=now - datetime.timedelta(hours=2))
    services.repair_act(actor=manager, request=soon, action="assign", assignee=repairer)
    client.force_login(repairer)
    response = client.get(go("repair_queue", mc.community.pk))
    assert [r.pk for r in response.context["requests"]] == [late.pk, fresh.pk, soon.pk]
    assert response.context["counts"]["open"] == 3 and response.context["counts"]["overdue"] == 1
    assert [r.pk for r in client.get(go("repair_queue", mc.community.pk) + "?overdue=1").context["requests"]] == [
        late.pk
    ]
    assert [r.pk for r in client.get(go("repair_queue", mc.community.pk) + "?mine=1").context["requests"]] == [soon.pk]
    assert list(client.get(go("repair_queue", mc.community.pk) + "?status=closed").context["requests"]) == []


def test_the_daily_command_tells_the_committee_about_overdue_requests(served):
    from home.models import Notification

    mc, *_ = served
    file_one(mc, urgency="urgent", now=timezone.now() - datetime.timedelta(hours=25))
    before = Notification.objects.filter(recipient=mc.committee).count()
    call_command("property_repairs_overdue")
    assert Notification.objects.filter(recipient=mc.committee).count() == before + 1


def _many(mc, manager, repairer, n):
    now = timezone.now()
    for i in range(n):
        repair = file_one(mc, location=f"位置{i}", now=now - datetime.timedelta(hours=i * 5))
        if i % 3 == 1:
            services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer)
        if i % 3 == 2:
            services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer)
            services.repair_act(actor=repairer, request=repair, action="finish", note="好了")


def _counts(client, users_and_urls):
    counts = []
    for user, url in users_and_urls:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_query_counts_stay_flat(client, served, django_assert_max_num_queries):
    """3 requests, then 30: the list, the queue and the oversight page run no more queries."""
    mc, _company, manager, repairer = served
    pages = [
        (mc.resident, go("repair_list")),
        (manager, go("repair_queue", mc.community.pk) + "?status=all"),
        (mc.committee, go("repair_oversight", mc.community.pk)),
    ]
    _many(mc, manager, repairer, 3)
    with_three = _counts(client, pages)
    _many(mc, manager, repairer, 27)
    for (user, url), count in zip(pages, with_three, strict=True):
        client.force_login(user)
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
    assert max(with_three) <= 25, with_three


# --- quality figures ------------------------------------------------------------------------------------------


def test_quality_figures_are_exact(client, served):
    mc, company, manager, repairer = served
    start = timezone.now() - datetime.timedelta(days=10)

    def finished(hours_to_finish, *, urgency="normal", rating=None):
        repair = file_one(mc, urgency=urgency, now=start)
        services.repair_act(actor=manager, request=repair, action="assign", assignee=repairer, now=start)
        services.repair_act(
            actor=repairer,
            request=repair,
            action="finish",
            note="好了",
            now=start + datetime.timedelta(hours=hours_to_finish),
        )
        if rating:
            services.repair_act(actor=mc.resident, request=repair, action="confirm", rating=rating)
        return repair

    finished(10, rating=5)  # ordinary, on time
    finished(50, rating=4)  # ordinary, on time
    finished(30, urgency="urgent", rating=2)  # urgent, late (24 h)
    finished(100)  # ordinary, late (72 h), not rated yet
    file_one(mc, now=start)  # open, overdue now
    file_one(mc)  # open, not due yet
    (quality,) = selectors.company_quality([company.pk])
    assert quality.company_name == company.name
    assert (quality.filed, quality.finished, quality.finished_on_time) == (6, 4, 2)
    assert quality.on_time_share == 0.5 and quality.on_time_percent == 50
    assert quality.average_hours == pytest.approx((10 + 50 + 30 + 100) / 4, abs=0.05)
    assert quality.average_rating == pytest.approx(11 / 3, abs=0.01) and quality.ratings == 3
    assert quality.overdue_now == 1
    recent = selectors.company_quality([company.pk], community=mc.community, since=timezone.now())
    assert recent[0].filed == 0 and recent[0].on_time_share is None
    client.force_login(mc.committee)
    page = client.get(go("repair_oversight", mc.community.pk)).content.decode()
    assert company.name in page and "50%" in page and "按时修好" in page
