"""The handover writers (issue 9): the checklist comes from P-04 / P-06; missing or defective items must be
acknowledged by the incoming party before anyone signs; four signatures close the inspection and the records then
belong to the owners (P-05); only the parties act; 三供一业 facility handovers (S-06, P-11) and the S-04 duplicate
check."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from home.models import AuditEntry
from property import management_permissions as can
from property.domain import management as rules
from property.models import Handover, HandoverItem, HandoverSignature, SgyyRetrofit
from property.services import management as services
from property.services.renovation import sgyy_claimed_facilities
from tests.property.management_helpers import company_with_staff, contract_in_force, managed_community

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def scan() -> Document:
    doc = Document(title="签字页")
    doc.file.save("qianzi.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    doc.save()
    return doc


def developer_handover(mc, company) -> Handover:
    return services.handover_open(
        actor=mc.committee,
        community=mc.community,
        kind=rules.DEVELOPER_TO_COMPANY,
        outgoing_kind="developer",
        outgoing_name="新乡市某房地产开发有限公司",
        incoming_kind="company",
        incoming_name="",
        incoming_company=company,
    )


def check_all_present(actor, handover, *, except_code=None):
    for item in handover.items.exclude(code=except_code or ""):
        services.handover_item_check(actor=actor, item=item, state=rules.PRESENT)


def sign_all(handover, mc, manager):
    services.handover_sign(
        actor=mc.community_staff, handover=handover, party="outgoing", signer_name="王经理", scan=scan()
    )
    services.handover_sign(actor=manager, handover=handover, party="incoming", signer_name="李经理")
    services.handover_sign(actor=mc.committee, handover=handover, party="committee", signer_name="赵主任")
    services.handover_sign(actor=mc.community_staff, handover=handover, party="sub_district", signer_name="刘主任")


def test_open_generates_the_p04_checklist():
    mc = managed_community()
    company, *_ = company_with_staff()
    handover = developer_handover(mc, company)
    codes = list(handover.items.order_by("position").values_list("code", flat=True))
    assert codes == [entry.code for entry in rules.checklist_for(rules.DEVELOPER_TO_COMPANY)]
    assert handover.incoming_name == company.name
    assert all(item.state == rules.PENDING for item in handover.items.all())
    assert AuditEntry.objects.filter(action="management.handover_open").exists()


def test_resident_cannot_open_a_handover():
    mc = managed_community()
    with pytest.raises(PermissionDenied):
        services.handover_open(
            actor=mc.resident,
            community=mc.community,
            kind=rules.COMPANY_TO_SUCCESSOR,
            outgoing_kind="company",
            outgoing_name="旧物业",
            incoming_kind="owners",
            incoming_name="全体业主",
        )
    assert not Handover.objects.exists()


def test_signing_with_a_missing_unacknowledged_item_is_refused_then_allowed_after_ack_p04():
    mc = managed_community()
    company, manager, repairer = company_with_staff()
    handover = developer_handover(mc, company)
    check_all_present(mc.committee, handover, except_code="pipe_networks")
    item = handover.items.get(code="pipe_networks")
    with pytest.raises(ValidationError, match="承诺补交的日期"):
        services.handover_item_check(actor=mc.committee, item=item, state=rules.MISSING)
    services.handover_item_check(
        actor=mc.committee, item=item, state=rules.MISSING, promised_on=TODAY() + datetime.timedelta(days=30)
    )
    with pytest.raises(ValidationError, match="尚未确认知悉"):
        services.handover_sign(actor=manager, handover=handover, party="incoming", signer_name="李经理")
    assert not HandoverSignature.objects.exists()

    with pytest.raises(PermissionDenied):  # the committee is not the incoming party here
        services.handover_item_acknowledge(actor=mc.committee, item=item)
    services.handover_item_acknowledge(actor=repairer, item=item)
    services.handover_sign(actor=manager, handover=handover, party="incoming", signer_name="李经理")
    assert handover.signatures.count() == 1


def test_rechecking_an_item_clears_its_acknowledgement():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    handover = developer_handover(mc, company)
    item = handover.items.get(code="keys")
    services.handover_item_check(actor=manager, item=item, state=rules.DEFECTIVE, note="机房钥匙缺两把")
    services.handover_item_acknowledge(actor=manager, item=item)
    services.handover_item_check(actor=manager, item=item, state=rules.DEFECTIVE, note="机房钥匙缺三把")
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_a_paper_signature_needs_its_scan():
    mc = managed_community()
    company, *_ = company_with_staff()
    handover = developer_handover(mc, company)
    check_all_present(mc.committee, handover)
    with pytest.raises(ValidationError, match="扫描件"):
        services.handover_sign(actor=mc.community_staff, handover=handover, party="outgoing", signer_name="王经理")
    assert not HandoverSignature.objects.exists()
    with pytest.raises(PermissionDenied):
        services.handover_sign(actor=mc.resident, handover=handover, party="committee", signer_name="某某")


def test_four_signatures_sign_off_then_the_checklist_is_frozen_but_items_close_p05():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    handover = developer_handover(mc, company)
    check_all_present(mc.committee, handover, except_code="site_plan")
    item = handover.items.get(code="site_plan")
    services.handover_item_check(
        actor=manager, item=item, state=rules.MISSING, promised_on=TODAY() + datetime.timedelta(days=10)
    )
    services.handover_item_acknowledge(actor=manager, item=item)
    assert not can.can_read_handover(mc.resident, handover)

    sign_all(handover, mc, manager)
    handover.refresh_from_db()
    assert handover.status == Handover.Status.SIGNED and handover.signed_at is not None
    with pytest.raises(ValidationError):
        services.handover_sign(actor=mc.committee, handover=handover, party="committee", signer_name="赵主任")
    with pytest.raises(ValidationError):
        services.handover_item_check(actor=mc.committee, item=handover.items.get(code="keys"), state=rules.PRESENT)
    with pytest.raises(ValidationError):
        services.handover_item_add(actor=mc.committee, handover=handover, label="消防设施")

    assert can.can_read_handover(mc.resident, handover)
    item = HandoverItem.objects.get(pk=item.pk)
    assert item.is_open
    services.handover_item_close(actor=manager, item=item, closing_note="已补交竣工总平面图")
    item.refresh_from_db()
    assert not item.is_open
    with pytest.raises(ValidationError):
        services.handover_item_close(actor=manager, item=item, closing_note="再次")

    services.handover_file(actor=manager, handover=handover, filed_on=TODAY())
    handover.refresh_from_db()
    assert handover.filed_on == TODAY()


def test_the_first_signature_freezes_the_checklist_for_everyone_p04():
    """Every party signs the same checklist: after one has signed, nobody changes an item, adds one or acknowledges."""
    mc = managed_community()
    company, manager, _ = company_with_staff()
    handover = developer_handover(mc, company)
    check_all_present(mc.committee, handover)
    services.handover_sign(actor=manager, handover=handover, party="incoming", signer_name="李经理")
    item = handover.items.get(code="keys")
    before = (item.state, item.note)
    with pytest.raises(ValidationError, match="已有一方签字"):
        services.handover_item_check(actor=mc.committee, item=item, state=rules.DEFECTIVE, note="钥匙少两把")
    with pytest.raises(ValidationError, match="已有一方签字"):
        services.handover_item_add(actor=mc.committee, handover=handover, label="消防设施")
    item.refresh_from_db()
    assert (item.state, item.note) == before and handover.items.count() == len(rules.checklist_for(handover.kind))


def test_signatures_are_append_only():
    mc = managed_community()
    company, manager, _ = company_with_staff()
    handover = developer_handover(mc, company)
    check_all_present(mc.committee, handover)
    signature = services.handover_sign(actor=manager, handover=handover, party="incoming", signer_name="李经理")
    signature.signer_name = "别人"
    with pytest.raises(PermissionDenied):
        signature.save()
    with pytest.raises(PermissionDenied):
        HandoverSignature.objects.filter(pk=signature.pk).delete()


def test_outsiders_are_refused_everywhere():
    mc = managed_community()
    other = managed_community()
    company, _manager, _ = company_with_staff()
    stranger_company, stranger_manager, stranger_repairer = company_with_staff()
    contract_in_force(other, stranger_company)
    handover = developer_handover(mc, company)
    item = handover.items.first()
    for outsider in (other.committee, other.community_staff, stranger_manager, stranger_repairer):
        with pytest.raises(PermissionDenied):
            services.handover_item_check(actor=outsider, item=item, state=rules.PRESENT)
        with pytest.raises(PermissionDenied):
            services.handover_item_add(actor=outsider, handover=handover, label="外人添加")
        with pytest.raises(PermissionDenied):
            services.handover_item_acknowledge(actor=outsider, item=item)
        for party in rules.SIGNING_PARTIES:
            with pytest.raises(PermissionDenied):
                services.handover_sign(actor=outsider, handover=handover, party=party, signer_name="外人", scan=scan())
        assert not can.can_read_handover(outsider, handover)
    assert handover.items.filter(state=rules.PENDING).count() == handover.items.count()


# --- 三供一业 (S-06, P-11, S-04) ---------------------------------------------------------------------------------


def test_sgyy_handover_refused_for_a_community_that_is_not_a_compound():
    mc = managed_community()
    with pytest.raises(ValidationError, match="三供一业"):
        services.sgyy_facility_handover_record(
            actor=mc.community_staff, community=mc.community, facility="water", handover_status="not_started"
        )
    with pytest.raises(ValidationError):
        services.handover_open(
            actor=mc.committee,
            community=mc.community,
            kind=rules.SGYY_UTILITY,
            facility="water",
            outgoing_kind="former_unit",
            outgoing_name="铁路局",
            incoming_kind="utility",
            incoming_name="自来水公司",
        )


def test_utility_transferred_without_per_household_meters_is_refused_p11():
    mc = managed_community(is_sgyy_compound=True)
    kwargs = {
        "actor": mc.community_staff,
        "community": mc.community,
        "facility": "water",
        "handover_status": "transferred",
        "receiving_unit": "新乡市自来水公司",
        "agreement_on": TODAY() - datetime.timedelta(days=30),
        "transferred_on": TODAY(),
    }
    with pytest.raises(ValidationError, match="P-11"):
        services.sgyy_facility_handover_record(metered_per_household=False, **kwargs)
    assert not SgyyRetrofit.objects.exists()
    with pytest.raises(PermissionDenied):
        services.sgyy_facility_handover_record(**{**kwargs, "actor": mc.committee}, metered_per_household=True)
    record = services.sgyy_facility_handover_record(metered_per_household=True, **kwargs)
    assert record.handover_status == "transferred" and record.status == SgyyRetrofit.Status.NONE


def test_s04_duplicate_check_ignores_a_facility_recorded_with_no_retrofit():
    mc = managed_community(is_sgyy_compound=True)
    services.sgyy_facility_handover_record(
        actor=mc.community_staff,
        community=mc.community,
        facility="power",
        handover_status="agreed",
        receiving_unit="国网新乡供电公司",
        agreement_on=TODAY(),
    )
    assert "power" not in sgyy_claimed_facilities(mc.community)
    SgyyRetrofit.objects.create(community=mc.community, facility="water", status=SgyyRetrofit.Status.DONE)
    services.sgyy_facility_handover_record(
        actor=mc.community_staff, community=mc.community, facility="water", handover_status="not_started"
    )
    assert sgyy_claimed_facilities(mc.community) == {"water"}


def test_utility_handover_checklist_for_a_compound_p11():
    mc = managed_community(is_sgyy_compound=True)
    handover = services.handover_open(
        actor=mc.community_staff,
        community=mc.community,
        kind=rules.SGYY_UTILITY,
        facility="heating_gas",
        outgoing_kind="former_unit",
        outgoing_name="郑州铁路局新乡房建段",
        incoming_kind="utility",
        incoming_name="新乡市热力公司",
    )
    assert handover.facility == "heating_gas"
    assert set(handover.items.values_list("code", flat=True)) == {"asset_list", "pipe_networks", "meters", "agreement"}
