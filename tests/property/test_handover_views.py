"""The handover pages (issue 9, P-03…P-06, P-11, S-06): the parties fill the checklist and sign through the pages;
signing with an unacknowledged missing item is refused; signed records are read by the owners (P-05); the
三供一业 facilities page; the open items on the community page; query counts flat."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from property.domain import management as rules
from property.models import Handover, HandoverAttachment, HandoverItem, HandoverSignature, SgyyRetrofit
from property.services import management as services
from tests.property.management_helpers import company_with_staff, contract_in_force, managed_community
from tests.property.test_renovation_public import png_bytes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def go(name, *args):
    return reverse(f"property:{name}", args=args)


def pdf(name="page.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def photo(name="keys.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def setting():
    mc = managed_community()
    company, manager, _repairer = company_with_staff()
    contract_in_force(mc, company)
    return mc, company, manager


def opened(mc, company, **overrides):
    data = {
        "actor": mc.committee,
        "community": mc.community,
        "kind": rules.DEVELOPER_TO_COMPANY,
        "outgoing_kind": Handover.PartyKind.DEVELOPER,
        "outgoing_name": "新乡某房地产开发有限公司",
        "incoming_kind": Handover.PartyKind.COMPANY,
        "incoming_name": "",
        "incoming_company": company,
        "inspected_on": TODAY(),
    }
    data.update(overrides)
    return services.handover_open(**data)


def check(client, item, state, **fields):
    data = {"action": "check", f"item{item.pk}-state": state}
    data.update({f"item{item.pk}-{key}": value for key, value in fields.items()})
    return client.post(go("handover_item", item.pk), data)


def all_present_but_first(handover, actor, *, promised_on=None):
    items = list(handover.items.order_by("position"))
    services.handover_item_check(
        actor=actor, item=items[0], state=rules.MISSING, promised_on=promised_on or TODAY() + datetime.timedelta(30)
    )
    for item in items[1:]:
        services.handover_item_check(actor=actor, item=item, state=rules.PRESENT)
    return items


# --- the whole flow through the pages --------------------------------------------------------------------------


def test_the_parties_fill_the_checklist_and_sign_through_the_pages(client):
    mc, company, manager = setting()
    client.force_login(mc.committee)
    assert client.get(go("handover_new", mc.community.pk)).status_code == 200
    response = client.post(
        go("handover_new", mc.community.pk),
        {
            "kind": rules.DEVELOPER_TO_COMPANY,
            "outgoing_kind": "developer",
            "outgoing_name": "新乡某房地产开发有限公司",
            "incoming_kind": "company",
            "incoming_company": company.pk,
            "inspected_on": TODAY().isoformat(),
        },
    )
    handover = Handover.objects.get(community=mc.community)
    assert response.status_code == 302 and response.url == go("handover", handover.pk)
    items = list(handover.items.order_by("position"))
    assert len(items) == len(rules.checklist_for(rules.DEVELOPER_TO_COMPANY))

    # The incoming company records the inspection: the first item missing with a promised date and a photo.
    client.force_login(manager)
    promised = TODAY() + datetime.timedelta(days=20)
    data = {
        "action": "check",
        f"item{items[0].pk}-state": "missing",
        f"item{items[0].pk}-promised_on": promised.isoformat(),
        f"item{items[0].pk}-note": "开发商称图纸在档案馆",
        f"item{items[0].pk}-attachment": photo(),
    }
    assert client.post(go("handover_item", items[0].pk), data).status_code == 302
    assert check(client, items[1], "present", attachment=pdf()).status_code == 302
    for item in items[2:]:
        assert check(client, item, "present").status_code == 302
    attachments = HandoverAttachment.objects.filter(item__handover=handover)
    assert attachments.filter(image__isnull=False).count() == 1
    assert attachments.filter(document__isnull=False).count() == 1

    page = client.get(go("handover", handover.pk)).content.decode()
    assert "开发商称图纸在档案馆" in page and f"{promised.year}年{promised.month}月{promised.day}日" in page

    # It acknowledges the missing item, then signs for the incoming party.
    response = client.post(go("handover_item", items[0].pk), {"action": "acknowledge"})
    assert response.status_code == 302
    response = client.post(go("handover_sign", handover.pk), {"party": "incoming", "signer_name": "王经理"})
    assert response.status_code == 302
    # The committee signs; the community staff signs for the sub-district and records the developer's paper page.
    client.force_login(mc.committee)
    assert (
        client.post(go("handover_sign", handover.pk), {"party": "committee", "signer_name": "李主任"}).status_code
        == 302
    )
    client.force_login(mc.community_staff)
    refused = client.post(go("handover_sign", handover.pk), {"party": "outgoing", "signer_name": "张总"})
    assert refused.status_code == 400 and "扫描件" in refused.content.decode()
    assert (
        client.post(
            go("handover_sign", handover.pk), {"party": "outgoing", "signer_name": "张总", "scan": pdf()}
        ).status_code
        == 302
    )
    assert (
        client.post(go("handover_sign", handover.pk), {"party": "sub_district", "signer_name": "赵"}).status_code == 302
    )
    handover.refresh_from_db()
    assert handover.status == Handover.Status.SIGNED and handover.signatures.count() == 4
    assert HandoverSignature.objects.get(handover=handover, party="outgoing").scan is not None

    # Filing, then closing the missing item after sign-off.
    client.force_login(manager)
    assert client.post(go("handover_file", handover.pk), {"filed_on": TODAY().isoformat()}).status_code == 302
    response = client.post(
        go("handover_item", items[0].pk), {"action": "close", f"close{items[0].pk}-closing_note": "图纸已补交"}
    )
    assert response.status_code == 302
    items[0].refresh_from_db()
    assert items[0].closed_at is not None
    handover.refresh_from_db()
    assert handover.filed_on == TODAY()


def test_signing_with_a_missing_item_not_acknowledged_is_refused_and_nothing_written(client):
    mc, company, manager = setting()
    handover = opened(mc, company)
    items = all_present_but_first(handover, manager)
    client.force_login(mc.committee)
    page = client.get(go("handover", handover.pk)).content.decode()
    assert "承接方尚未确认知悉" in page  # the blockers are listed above the sign form
    response = client.post(go("handover_sign", handover.pk), {"party": "committee", "signer_name": "李主任"})
    assert response.status_code == 400
    assert f"“{items[0].label}”缺失，承接方尚未确认知悉，不能签字（P-04）。" in response.content.decode()
    assert not HandoverSignature.objects.exists()


def test_a_missing_item_without_a_promised_date_is_refused_on_the_form(client):
    mc, company, manager = setting()
    handover = opened(mc, company)
    item = handover.items.order_by("position").first()
    client.force_login(manager)
    response = check(client, item, "missing")
    assert response.status_code == 400 and "须写明移交方承诺补交的日期（P-04）" in response.content.decode()
    item.refresh_from_db()
    assert item.state == rules.PENDING


def test_a_file_that_is_not_a_pdf_or_picture_is_refused(client):
    mc, company, manager = setting()
    handover = opened(mc, company)
    item = handover.items.order_by("position").first()
    client.force_login(manager)
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    response = check(client, item, "present", attachment=fake)
    assert response.status_code == 400 and not HandoverAttachment.objects.exists()


# --- who reads what --------------------------------------------------------------------------------------------


def test_a_resident_reads_a_signed_handover_but_not_an_open_one(client):
    mc, company, manager = setting()
    open_one = opened(mc, company)
    signed = opened(mc, company)
    all_present_but_first(signed, manager)
    services.handover_item_acknowledge(actor=manager, item=signed.items.order_by("position").first())
    services.handover_sign(actor=manager, handover=signed, party="incoming", signer_name="王")
    services.handover_sign(actor=mc.committee, handover=signed, party="committee", signer_name="李")
    services.handover_sign(actor=mc.community_staff, handover=signed, party="sub_district", signer_name="赵")
    from wagtail.documents import get_document_model

    scan = get_document_model().objects.create(title="签字页", file=pdf())
    services.handover_sign(actor=mc.community_staff, handover=signed, party="outgoing", signer_name="张", scan=scan)
    client.force_login(mc.resident)
    assert client.get(go("handover", signed.pk)).status_code == 200
    assert client.get(go("handover", open_one.pk)).status_code == 403
    listing = client.get(go("handover_list", mc.community.pk))
    assert listing.status_code == 200
    assert [h.pk for h in listing.context["handovers"]] == [signed.pk]
    assert not listing.context["may_open"]


@pytest.mark.parametrize("who", ["committee", "community_staff", "resident"])
def test_another_communitys_people_get_403(client, who):
    mc, company, _manager = setting()
    handover = opened(mc, company)
    other = managed_community()
    client.force_login(getattr(other, who))
    assert client.get(go("handover", handover.pk)).status_code == 403
    assert client.get(go("handover_list", mc.community.pk)).status_code == 403
    item = handover.items.first()
    assert check(client, item, "present").status_code == 403
    response = client.post(go("handover_sign", handover.pk), {"party": "committee", "signer_name": "x"})
    assert response.status_code == 403
    assert not HandoverSignature.objects.exists()
    item.refresh_from_db()
    assert item.state == rules.PENDING


def test_another_companys_staff_get_403(client):
    mc, company, _manager = setting()
    handover = opened(mc, company)
    _other, other_manager, other_repairer = company_with_staff()
    for user in (other_manager, other_repairer):
        client.force_login(user)
        assert client.get(go("handover", handover.pk)).status_code == 403
        assert check(client, handover.items.first(), "present").status_code == 403


def test_a_company_manager_starts_only_handovers_his_company_is_in(client):
    mc, company, _manager = setting()
    _other, other_manager, _ = company_with_staff()
    client.force_login(other_manager)
    response = client.post(
        go("handover_new", mc.community.pk),
        {
            "kind": rules.DEVELOPER_TO_COMPANY,
            "outgoing_kind": "developer",
            "outgoing_name": "某开发商",
            "incoming_kind": "company",
            "incoming_company": company.pk,
        },
    )
    assert response.status_code == 400 and not Handover.objects.exists()


# --- 三供一业 ---------------------------------------------------------------------------------------------------


def test_the_sgyy_page_refuses_a_utility_handed_over_without_metering(client):
    mc = managed_community(is_sgyy_compound=True)
    SgyyRetrofit.objects.create(community=mc.community, facility="water", status="done", scope="更换供水管网")
    client.force_login(mc.community_staff)
    page = client.get(go("sgyy_handover", mc.community.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "更换供水管网" in text and "已改造" in text
    assert "未登记" in text  # power: no retrofit row
    assert "收到清单前，本小区不能纳入老旧小区改造计划" in text
    data = {
        "facility": "water",
        "water-handover_status": "transferred",
        "water-receiving_unit": "新乡市供水公司",
        "water-agreement_on": (TODAY() - datetime.timedelta(days=30)).isoformat(),
        "water-transferred_on": TODAY().isoformat(),
        "water-order": "retrofit_first",
    }
    refused = client.post(go("sgyy_handover", mc.community.pk), data)
    assert refused.status_code == 400 and "分户计量、分户控制" in refused.content.decode()
    assert SgyyRetrofit.objects.get(community=mc.community, facility="water").handover_status == "not_started"
    data["water-metered_per_household"] = "on"
    done = client.post(go("sgyy_handover", mc.community.pk), data)
    assert done.status_code == 302
    record = SgyyRetrofit.objects.get(community=mc.community, facility="water")
    assert record.handover_status == "transferred" and record.metered_per_household


def test_the_sgyy_page_readers_and_writers(client):
    mc = managed_community(is_sgyy_compound=True)
    other = managed_community()
    client.force_login(mc.resident)
    assert client.get(go("sgyy_handover", mc.community.pk)).status_code == 200
    assert client.post(go("sgyy_handover", mc.community.pk), {"facility": "water"}).status_code == 403
    client.force_login(other.community_staff)
    assert client.get(go("sgyy_handover", mc.community.pk)).status_code == 403
    client.force_login(other.community_staff)
    assert client.get(go("sgyy_handover", other.community.pk)).status_code == 404


# --- query counts ----------------------------------------------------------------------------------------------


def _handover_with(mc, company, manager, n):
    handover = opened(mc, company)
    existing = handover.items.count()
    for i in range(n - existing):
        services.handover_item_add(actor=manager, handover=handover, label=f"补充事项{i}")
    for position, item in enumerate(handover.items.all()):
        state = rules.MISSING if position % 3 == 0 else rules.PRESENT
        services.handover_item_check(actor=manager, item=item, state=state, promised_on=TODAY())
    return handover


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager", "committee", "resident"])
def test_the_handover_page_queries_stay_flat(client, django_assert_max_num_queries, who):
    mc, company, manager = setting()
    small = _handover_with(mc, company, manager, 11)
    large = _handover_with(mc, company, manager, 40)
    assert large.items.count() == 40
    if who == "resident":  # residents read signed handovers only
        Handover.objects.update(status=Handover.Status.SIGNED, signed_at=timezone.now())
    client.force_login({"manager": manager, "committee": mc.committee, "resident": mc.resident}[who])
    client.get(go("handover", small.pk))  # warm the session
    baseline = _count(client, go("handover", small.pk))
    with django_assert_max_num_queries(baseline):
        response = client.get(go("handover", large.pk))
    assert response.status_code == 200 and len(response.context["cards"]) == 40


def test_the_open_items_tag_shows_signed_handovers_only_in_at_most_two_queries_p05(
    client, django_assert_max_num_queries
):
    mc, company, manager = setting()
    template = Template("{% load handover_tags %}{% open_handover_items community %}")
    request = RequestFactory().get("/")
    request.user = mc.resident
    with django_assert_max_num_queries(2):
        assert template.render(Context({"community": mc.community, "request": request})).strip() == ""
    _handover_with(mc, company, manager, 30)
    late = HandoverItem.objects.filter(state=rules.MISSING).first()
    late.promised_on = TODAY() - datetime.timedelta(days=3)
    late.save()
    # While the handover is being inspected its checklist is a working paper of its parties: nothing on the page.
    assert template.render(Context({"community": mc.community, "request": request})).strip() == ""
    Handover.objects.update(status=Handover.Status.SIGNED, signed_at=timezone.now())
    with django_assert_max_num_queries(2):
        html = template.render(Context({"community": mc.community, "request": request}))
    assert late.label in html and "open-handover-items" in html
    assert html.count("<li>") == HandoverItem.objects.filter(state=rules.MISSING).count()


def test_the_list_counts_open_items(client):
    mc, company, manager = setting()
    handover = _handover_with(mc, company, manager, 12)
    client.force_login(mc.committee)
    response = client.get(go("handover_list", mc.community.pk))
    assert response.status_code == 200
    row = response.context["handovers"][0]
    assert row.pk == handover.pk and row.open_count == 4
    assert response.context["may_open"]
