"""The MeetingPage admin form: notice periods by body kind (A-09, C-07) and the agenda lock after notice (A-09)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from governance.models import AgendaItem, BodyPage, MeetingPage
from governance.services import meetings as svc
from tests.governance.test_meetings_support import body_with_members, meeting_under, staff_of

pytestmark = pytest.mark.django_db


def form_for(parent, data, instance=None, user=None):
    form_class = MeetingPage.get_edit_handler().get_form_class()
    return form_class(nested_form_data(data), instance=instance or MeetingPage(), parent_page=parent, for_user=user)


def data(starts_at, items, **extra):
    return {
        "title": "业主大会临时会议",
        "slug": "linshi",
        "kind": "regular",
        "form": "discussion",
        "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
        "place": "社区活动室",
        "online_link": "",
        "recorder": "",
        "agenda_items": inline_formset(items, initial=extra.pop("initial", 0)),
        **extra,
    }


def day_at_evening(days):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=19, minute=0, second=0, microsecond=0)


@pytest.mark.parametrize(("days", "ok"), [(14, False), (15, True)])
def test_assembly_scheduled_14_days_ahead_is_refused_15_accepted_A09(days, ok):
    community, body, _users = body_with_members(kind=BodyPage.Kind.OWNERS_ASSEMBLY, seats=5)
    form = form_for(body, data(day_at_evening(days), [{"title": "选举业委会"}]), user=staff_of(community))
    assert form.is_valid() is ok, form.errors
    if not ok:
        assert "业主大会会议应于召开15日前通知全体业主（A-09）" in form.errors["starts_at"]


@pytest.mark.parametrize(("days", "ok"), [(6, False), (7, True)])
def test_committee_meeting_needs_its_agenda_7_days_ahead_C07(days, ok):
    _community, body, users = body_with_members()
    form = form_for(body, data(day_at_evening(days), [{"title": "审议预算"}]), user=users[0])
    assert form.is_valid() is ok, form.errors


def existing_items(meeting, **changes):
    items = []
    for item in meeting.agenda_items.order_by("sort_order"):
        row = {"id": item.pk, "title": item.title, "description": item.description, "ORDER": item.sort_order + 1}
        row.update(changes.get(item.pk, {}))
        items.append(row)
    return items


@pytest.fixture
def noticed():
    _community, body, users = body_with_members()
    meeting = meeting_under(body, starts_at=day_at_evening(20), agenda=("审议预算", "公示账目"))
    svc.meeting_notice_publish(actor=users[0], meeting=meeting)
    meeting.refresh_from_db()
    return body, users, meeting


def edit(body, users, meeting, items, initial):
    payload = data(meeting.starts_at, items, initial=initial)
    payload["title"] = meeting.title
    payload["slug"] = meeting.slug
    return form_for(body, payload, instance=meeting, user=users[0])


def test_unchanged_agenda_after_notice_is_accepted(noticed):
    body, users, meeting = noticed
    form = edit(body, users, meeting, existing_items(meeting), initial=2)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("change", ["add", "edit", "delete", "reorder"])
def test_editing_the_agenda_after_the_notice_is_refused_A09(noticed, change):
    body, users, meeting = noticed
    items = existing_items(meeting)
    if change == "add":
        items.append({"title": "临时动议：更换物业", "description": "", "ORDER": 3})
    elif change == "edit":
        items[0]["title"] = "审议并通过预算"
    elif change == "delete":
        items[1]["DELETE"] = "on"
    else:
        items[0]["ORDER"], items[1]["ORDER"] = 2, 1
    form = edit(body, users, meeting, items, initial=2)
    assert not form.is_valid()
    assert "A-09" in str(form.errors)
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("sort_order").values_list("title", flat=True)) == [
        "审议预算",
        "公示账目",
    ]


def test_wagtail_admin_refuses_an_assembly_14_days_ahead_naming_A09(client):
    from tests.factories import UserFactory

    _community, body, _users = body_with_members(kind=BodyPage.Kind.OWNERS_ASSEMBLY, seats=5)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailadmin_pages:add", args=["governance", "meetingpage", body.pk])
    assert client.get(url).status_code == 200
    payload = nested_form_data(data(day_at_evening(14), [{"title": "选举业委会"}]))
    response = client.post(url, payload)
    assert response.status_code == 200
    assert "业主大会会议应于召开15日前通知全体业主（A-09）" in response.content.decode()
    assert not MeetingPage.objects.exists()
    payload = nested_form_data(data(day_at_evening(15), [{"title": "选举业委会"}]))
    response = client.post(url, payload)
    assert response.status_code == 302
    assert MeetingPage.objects.get().agenda_items.count() == 1
