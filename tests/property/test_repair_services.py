"""The repair writers (issue 9): only residents file, and only for their own home or the common parts; the company
assigns, starts and finishes; only the resident who filed confirms (with a rating), sends back or cancels — nobody
confirms on the resident's behalf; events are append-only; overdue open requests reach the committee."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from home.models import Notification, Unit
from property.domain import management as rules
from property.models import RepairEvent, RepairRequest
from property.services import management as services
from tests.property.management_helpers import company_with_staff, contract_in_force, managed_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def served():
    mc = managed_community()
    company, manager, repairer = company_with_staff()
    contract_in_force(mc, company)
    return mc, company, manager, repairer


def file_request(mc, **overrides) -> RepairRequest:
    data = {
        "where": "common",
        "location": "2号楼1单元楼道",
        "category": "electric",
        "description": "楼道灯不亮",
        "urgency": rules.NORMAL,
    }
    data.update(overrides)
    return services.repair_file(actor=mc.resident, community=mc.community, **data)


def test_non_resident_cannot_file(served):
    mc, _company, manager, _ = served
    for actor in (mc.committee, manager):
        with pytest.raises(PermissionDenied):
            services.repair_file(
                actor=actor, community=mc.community, where="common", location="楼道", category="other", description="x"
            )
    assert not RepairRequest.objects.exists()


def test_own_unit_request_only_for_ones_own_home(served):
    mc, *_ = served
    neighbour = Unit.objects.filter(entrance__building__community=mc.community).exclude(pk=mc.unit.pk).first()
    with pytest.raises(ValidationError):
        file_request(mc, where="own_unit", unit=neighbour, location="厨房", category="water")
    with pytest.raises(ValidationError):
        file_request(mc, where="own_unit", unit=None, location="厨房", category="water")
    assert not RepairRequest.objects.exists()
    request = file_request(mc, where="own_unit", unit=mc.unit, location="厨房", category="water")
    assert request.unit == mc.unit


def test_full_cycle_with_sla_and_notifications(served):
    mc, company, manager, repairer = served
    now = timezone.now()
    request = file_request(mc, urgency=rules.URGENT, now=now)
    assert request.company == company
    assert request.due_at == now + datetime.timedelta(hours=24)
    assert Notification.objects.filter(recipient=repairer, title__contains="新报修").exists()

    services.repair_act(actor=manager, request=request, action="assign", assignee=repairer)
    assert Notification.objects.filter(recipient=repairer, title__contains="派单").exists()
    services.repair_act(actor=repairer, request=request, action="start")
    request = services.repair_act(actor=repairer, request=request, action="finish", note="已更换灯泡")
    assert request.status == rules.DONE and request.done_at is not None
    with pytest.raises(ValidationError):
        services.repair_act(actor=mc.resident, request=request, action="confirm", rating=0)
    request = services.repair_act(actor=mc.resident, request=request, action="confirm", rating=5, note="很快")
    assert request.status == rules.CLOSED and request.rating == 5 and request.closed_at is not None
    actions = list(request.events.order_by("id").values_list("action", flat=True))
    assert actions == ["file", "assign", "start", "finish", "confirm"]
    assert Notification.objects.filter(recipient=mc.resident, title__contains="您的报修").count() == 3


@pytest.mark.parametrize("who", ["manager", "repairer", "committee"])
def test_nobody_confirms_on_the_residents_behalf(served, who):
    mc, _company, manager, repairer = served
    actor = {"manager": manager, "repairer": repairer, "committee": mc.committee}[who]
    request = file_request(mc)
    services.repair_act(actor=manager, request=request, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=request, action="finish")
    with pytest.raises(PermissionDenied, match="不能代为确认"):
        services.repair_act(actor=actor, request=request, action="confirm", rating=5)
    request.refresh_from_db()
    assert request.status == rules.DONE and request.rating is None


def test_residents_and_committee_cannot_act_for_the_company(served):
    mc, *_ = served
    request = file_request(mc)
    for actor in (mc.resident, mc.committee):
        with pytest.raises(PermissionDenied):
            services.repair_act(actor=actor, request=request, action="start")


def test_another_companys_staff_cannot_handle(served):
    mc, _company, _manager, _repairer = served
    other = managed_community()
    stranger, stranger_manager, _ = company_with_staff()
    contract_in_force(other, stranger)
    request = file_request(mc)
    with pytest.raises(PermissionDenied):
        services.repair_act(actor=stranger_manager, request=request, action="assign", assignee=stranger_manager)


def test_reopen_requires_a_note(served):
    mc, _company, manager, repairer = served
    request = file_request(mc)
    services.repair_act(actor=manager, request=request, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=request, action="finish")
    with pytest.raises(ValidationError):
        services.repair_act(actor=mc.resident, request=request, action="reopen")
    request = services.repair_act(actor=mc.resident, request=request, action="reopen", note="灯还是不亮")
    assert request.status == rules.IN_PROGRESS and request.done_at is None


def test_cancel_only_before_work_starts(served):
    mc, _company, manager, repairer = served
    first = file_request(mc)
    assert services.repair_act(actor=mc.resident, request=first, action="cancel").status == rules.CANCELLED
    second = file_request(mc)
    services.repair_act(actor=manager, request=second, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=second, action="start")
    with pytest.raises(ValidationError):
        services.repair_act(actor=mc.resident, request=second, action="cancel")


def test_assignee_must_handle_this_community(served):
    mc, _company, manager, _ = served
    request = file_request(mc)
    with pytest.raises(ValidationError):
        services.repair_act(actor=manager, request=request, action="assign", assignee=mc.resident)


def test_events_are_append_only(served):
    mc, *_ = served
    request = file_request(mc)
    event = request.events.get()
    event.note = "改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        RepairEvent.objects.filter(pk=event.pk).update(note="改")
    with pytest.raises(PermissionDenied):
        event.delete()


def test_overdue_open_requests_reach_the_committee(served):
    mc, _company, manager, repairer = served
    now = timezone.now()
    late = file_request(mc, urgency=rules.URGENT, now=now - datetime.timedelta(hours=30))
    file_request(mc, now=now)  # not yet due
    done_late = file_request(mc, urgency=rules.URGENT, now=now - datetime.timedelta(hours=30))
    services.repair_act(actor=manager, request=done_late, action="assign", assignee=repairer)
    services.repair_act(actor=repairer, request=done_late, action="finish")
    assert late.is_overdue(now)
    assert services.repairs_overdue_notify(now) == 1
    [note] = Notification.objects.filter(recipient=mc.committee)
    assert "1件报修超时" in note.title
    assert not Notification.objects.filter(recipient=mc.resident, title__contains="超时").exists()
