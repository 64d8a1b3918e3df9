"""The committee's records of an owners' vote through the web: paper and assisted ballots (A-10), written proxies
(V-22), the ballot register (D-13, secret ballots), the evidence files and the Excel exports (D-12)."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Ballot, Proxy
from governance.services import decisions as svc
from home.models import AuditEntry, CommunityRole, Ownership
from tests.factories import member
from tests.governance.decision_helpers import answers_for, close_now, open_vote, vote_community

pytestmark = pytest.mark.django_db

Role = CommunityRole.Role
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def scan(name="ballot.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def login(client, user):
    client.force_login(user)
    return client


def url(name, decision):
    return reverse(f"governance:{name}", args=[decision.pk])


def elector_of(decision, owner):
    return decision.electors.get(voter__user=owner)


def paper_post(decision, elector, *, channel="paper", choice="approve", with_scan=True, note="", **extra):
    data = {"elector": elector.pk, "channel": channel, "note": note, **extra}
    for question in decision.questions.all():
        data[f"q{question.pk}"] = choice
    if with_scan:
        data["scan"] = scan()
    return data


def row_html(content: str, elector) -> str:
    match = re.search(rf'<tr id="elector-{elector.pk}">(.*?)</tr>', content, re.S)
    assert match, f"no register row for elector {elector.pk}"
    return match.group(1)


@pytest.fixture
def vc():
    return vote_community(buildings=2, units=3)


@pytest.fixture
def stranger():
    """A member of another community's owners' committee."""
    other = vote_community(buildings=1, units=1)
    return other.chair


# ---------------------------------------------------------------- paper and assisted ballots


def test_committee_enters_a_paper_ballot_with_scan_that_counts_and_is_served_to_the_committee_only(
    client, vc, stranger
):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    response = login(client, vc.chair).post(url("ballot_paper_entry", decision), paper_post(decision, elector))
    assert response.status_code == 302
    ballot = Ballot.objects.get(elector=elector)
    assert ballot.channel == Ballot.Channel.PAPER and ballot.cast_by == vc.chair and ballot.scan
    count = svc.count_questions(decision)[0]
    assert count.approving.owners == 1 and count.approving.area == elector.area

    evidence = reverse("governance:decision_evidence", args=[ballot.token])
    served = client.get(evidence)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PNG
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"

    assert login(client, vc.owners[1]).get(evidence).status_code == 403
    refused = login(client, stranger).get(evidence)
    assert refused.status_code == 403
    assert PNG not in refused.content
    assert client.get(reverse("governance:decision_evidence", args=["0" * 32])).status_code == 404


def test_the_owner_search_shows_masked_name_area_and_whether_he_voted(client, vc):
    decision = open_vote(vc)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision))
    elector = elector_of(decision, vc.owners[0])
    content = login(client, vc.chair).get(url("ballot_paper_entry", decision), {"q": elector.label}).content.decode()
    assert elector.label in content
    assert "业*" in content and "业主0" not in content
    assert str(elector.area) in content
    assert "是" in content  # voted


def test_paper_ballot_without_scan_is_refused_in_chinese_and_nothing_is_written(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    response = login(client, vc.chair).post(
        url("ballot_paper_entry", decision), paper_post(decision, elector, with_scan=False)
    )
    assert response.status_code == 400
    assert "请上传业主签字的表决票扫描件（A-10）" in response.content.decode()
    assert not Ballot.objects.exists()


def test_scan_of_the_wrong_kind_is_refused(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    data = paper_post(decision, elector, with_scan=False)
    data["scan"] = scan("ballot.html", b"<script>alert(1)</script>", "text/html")
    response = login(client, vc.chair).post(url("ballot_paper_entry", decision), data)
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_assisted_ballot_without_note_is_refused_and_with_note_is_recorded(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[1])
    login(client, vc.chair)
    refused = client.post(
        url("ballot_paper_entry", decision), paper_post(decision, elector, channel="assisted", with_scan=False)
    )
    assert refused.status_code == 400
    assert "请注明由谁协助业主表决" in refused.content.decode()
    assert not Ballot.objects.exists()
    note = "王主任上门协助，业主口头确认并按手印"
    accepted = client.post(
        url("ballot_paper_entry", decision),
        paper_post(decision, elector, channel="assisted", with_scan=False, note=note),
    )
    assert accepted.status_code == 302
    ballot = Ballot.objects.get(elector=elector)
    assert (ballot.channel, ballot.note) == (Ballot.Channel.ASSISTED, note)


def test_entering_for_an_owner_who_already_voted_is_refused(client, vc):
    decision = open_vote(vc)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision, "reject"))
    elector = elector_of(decision, vc.owners[0])
    response = login(client, vc.chair).post(url("ballot_paper_entry", decision), paper_post(decision, elector))
    assert response.status_code == 400
    assert "该业主已经表决" in response.content.decode()
    assert Ballot.objects.filter(elector=elector).count() == 1


def test_paper_ballot_signed_by_an_accepted_proxy_is_marked_with_the_proxy(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[3])
    proxy = svc.proxy_upload(
        actor=vc.chair, decision=decision, elector=elector, proxy_name="周八", document=scan("letter.png")
    )
    svc.proxy_check(actor=vc.chair, proxy=proxy, accept=True)
    login(client, vc.chair)
    page = client.get(url("ballot_paper_entry", decision), {"elector": elector.pk}).content.decode()
    assert 'name="proxy"' in page and "周八" in page
    response = client.post(url("ballot_paper_entry", decision), paper_post(decision, elector, proxy=proxy.pk))
    assert response.status_code == 302
    assert Ballot.objects.get(elector=elector).proxy == proxy


def test_register_shows_the_current_revision_where_ballots_may_change(client):
    vc = vote_community(buildings=1, units=2, ballots_changeable=True)
    decision = open_vote(vc)
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision, "approve"))
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision, "reject"))
    content = login(client, vc.chair).get(url("ballot_register", decision)).content.decode()
    row = row_html(content, elector_of(decision, vc.owners[0]))
    assert "反对" in row and "同意" not in row


def test_unanswered_question_is_refused(client, vc):
    decision = open_vote(vc, questions=("同意续聘XX物业公司", "同意调整物业费"))
    elector = elector_of(decision, vc.owners[0])
    data = paper_post(decision, elector)
    del data[f"q{decision.questions.last().pk}"]
    response = login(client, vc.chair).post(url("ballot_paper_entry", decision), data)
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_paper_entry_only_while_voting_is_open(client, vc):
    decision = close_now(open_vote(vc))
    elector = elector_of(decision, vc.owners[0])
    login(client, vc.chair)
    page = client.get(url("ballot_paper_entry", decision), {"elector": elector.pk})
    assert page.status_code == 200
    assert 'name="scan"' not in page.content.decode()
    client.post(url("ballot_paper_entry", decision), paper_post(decision, elector))
    assert not Ballot.objects.exists()


# ---------------------------------------------------------------- written proxies (V-22)


def test_proxy_upload_check_and_the_tenant_votes_online_through_it(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    tenant = member(vc.community, Role.RESIDENT, full_name="租户李四", phone="+8613900001111")
    other_tenant = member(vc.community, Role.RESIDENT, full_name="租户赵六")
    with pytest.raises(PermissionDenied):
        svc.ballot_cast(user=tenant, decision=decision, answers=answers_for(decision))

    login(client, vc.chair)
    response = client.post(
        url("proxy_upload", decision),
        {"elector": elector.pk, "proxy_name": "李四", "proxy_phone": "139 0000 1111", "document": scan("letter.pdf")},
    )
    assert response.status_code == 302
    proxy = Proxy.objects.get()
    assert (proxy.status, proxy.proxy_user, proxy.elector) == (Proxy.Status.PENDING, tenant, elector)
    queue = client.get(url("proxy_queue", decision)).content.decode()
    assert "李四" in queue and "待核验" in queue
    with pytest.raises(PermissionDenied):  # pending is not yet a proxy
        svc.ballot_cast(user=tenant, decision=decision, answers=answers_for(decision))

    assert client.post(url("proxy_queue", decision), {"proxy": proxy.pk, "verdict": "accept"}).status_code == 302
    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.ACCEPTED and proxy.checked_by == vc.chair

    ballots = svc.ballot_cast(user=tenant, decision=decision, answers=answers_for(decision))
    assert ballots[0].elector == elector and ballots[0].proxy == proxy
    with pytest.raises(PermissionDenied):  # the owner himself no longer votes online, the proxy does
        svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision))
    with pytest.raises(PermissionDenied):  # a tenant without a proxy
        svc.ballot_cast(user=other_tenant, decision=decision, answers=answers_for(decision))

    register = client.get(url("ballot_register", decision)).content.decode()
    proxy_row = row_html(register, elector)
    assert "李*" in proxy_row and reverse("governance:decision_evidence", args=[proxy.token]) in proxy_row


def test_proxy_phone_without_account_is_refused_and_nothing_uploaded(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    response = login(client, vc.chair).post(
        url("proxy_upload", decision),
        {"elector": elector.pk, "proxy_name": "李四", "proxy_phone": "13700000000", "document": scan("l.pdf")},
    )
    assert response.status_code == 400
    assert not Proxy.objects.exists()


def test_proxy_account_from_another_community_is_refused(client, vc, stranger):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    response = login(client, vc.chair).post(
        url("proxy_upload", decision),
        {"elector": elector.pk, "proxy_name": "外人", "proxy_phone": stranger.phone, "document": scan("l.pdf")},
    )
    assert response.status_code == 400
    assert "不是本小区已认证的居民" in response.content.decode()
    assert not Proxy.objects.exists()


def test_an_owner_of_many_units_is_found_by_any_of_them(client):
    vc = vote_community(buildings=1, units=5)
    Ownership.objects.filter(unit__in=vc.units[1:]).update(person=vc.persons[0])  # V-18: one owner of five homes
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[0])
    assert elector.unit_count == 5 and "051" not in elector.label
    content = login(client, vc.chair).get(url("ballot_paper_entry", decision), {"q": "051"}).content.decode()
    assert f"?elector={elector.pk}" in content


def test_rejecting_a_proxy_needs_a_reason(client, vc):
    decision = open_vote(vc)
    elector = elector_of(decision, vc.owners[2])
    proxy = svc.proxy_upload(
        actor=vc.chair, decision=decision, elector=elector, proxy_name="张三", document=scan("letter.jpg")
    )
    login(client, vc.chair)
    refused = client.post(url("proxy_queue", decision), {"proxy": proxy.pk, "verdict": "reject", "note": ""})
    assert refused.status_code == 400
    assert "请说明不予确认该书面委托的理由" in refused.content.decode()
    proxy.refresh_from_db()
    assert proxy.status == Proxy.Status.PENDING
    done = client.post(url("proxy_queue", decision), {"proxy": proxy.pk, "verdict": "reject", "note": "签名与备案不符"})
    assert done.status_code == 302
    proxy.refresh_from_db()
    assert (proxy.status, proxy.check_note) == (Proxy.Status.REJECTED, "签名与备案不符")


def test_an_owner_uploads_a_proxy_for_his_own_row_only(client, vc):
    decision = open_vote(vc)
    own = elector_of(decision, vc.owners[1])
    other = elector_of(decision, vc.owners[2])
    login(client, vc.owners[1])
    page = client.get(url("proxy_upload", decision))
    assert page.status_code == 200 and own.label in page.content.decode()
    response = client.post(
        url("proxy_upload", decision), {"elector": other.pk, "proxy_name": "孙七", "document": scan("letter.png")}
    )
    assert response.status_code == 302
    assert Proxy.objects.get().elector == own
    assert client.get(url("proxy_queue", decision)).status_code == 403


@pytest.mark.parametrize("units", [1, 8])
def test_proxy_queue_query_count_does_not_grow_with_the_proxies(client, django_assert_max_num_queries, units):
    vc = vote_community(buildings=2, units=units)
    decision = open_vote(vc)
    for owner in vc.owners:
        svc.proxy_upload(
            actor=owner,
            decision=decision,
            elector=elector_of(decision, owner),
            proxy_name="张三",
            proxy_user=vc.chair,
            document=scan("letter.png"),
        )
    login(client, vc.chair)
    with django_assert_max_num_queries(20):  # the same bound for 2 and 16 letters
        response = client.get(url("proxy_queue", decision))
    assert response.content.decode().count('id="proxy-') == len(vc.owners)


def test_proxy_letter_is_served_to_the_committee_only(client, vc, stranger):
    decision = open_vote(vc)
    proxy = svc.proxy_upload(
        actor=vc.chair,
        decision=decision,
        elector=elector_of(decision, vc.owners[0]),
        proxy_name="张三",
        document=scan("letter.pdf", b"%PDF-1.4 letter", "application/pdf"),
    )
    evidence = reverse("governance:decision_evidence", args=[proxy.token])
    served = login(client, vc.chair).get(evidence)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert login(client, vc.owners[0]).get(evidence).status_code == 403
    assert login(client, stranger).get(evidence).status_code == 403


# ---------------------------------------------------------------- the ballot register (D-13)


def _vote_three_ways(client, vc, decision):
    svc.ballot_cast(user=vc.owners[0], decision=decision, answers=answers_for(decision, "approve"))
    svc.ballot_cast(user=vc.owners[1], decision=decision, answers=answers_for(decision, "reject"))
    svc.ballot_enter(
        actor=vc.chair,
        decision=decision,
        elector=elector_of(decision, vc.owners[2]),
        answers=answers_for(decision, "approve"),
        channel="paper",
        scan=scan(),
    )


def test_register_shows_choices_on_an_open_ballot(client, vc):
    decision = open_vote(vc)
    _vote_three_ways(client, vc, decision)
    content = login(client, vc.chair).get(url("ballot_register", decision)).content.decode()
    assert "同意" in row_html(content, elector_of(decision, vc.owners[0]))
    assert "反对" in row_html(content, elector_of(decision, vc.owners[1]))
    paper_row = row_html(content, elector_of(decision, vc.owners[2]))
    assert "纸质表决票" in paper_row and "王主任" in paper_row and "decisions/evidence/" in paper_row
    not_voted = row_html(content, elector_of(decision, vc.owners[3]))
    assert "同意" not in not_voted and "反对" not in not_voted
    assert "业主0" not in content  # names masked


def test_register_of_a_secret_ballot_shows_who_took_part_never_who_chose_what(client, vc):
    decision = open_vote(vc, is_secret=True)
    _vote_three_ways(client, vc, decision)
    content = login(client, vc.chair).get(url("ballot_register", decision)).content.decode()
    for owner in vc.owners[:3]:
        row = row_html(content, elector_of(decision, owner))
        assert "是" in row  # took part
        assert "同意" not in row and "反对" not in row and "弃权" not in row
    paper_row = row_html(content, elector_of(decision, vc.owners[2]))
    assert "decisions/evidence/" not in paper_row  # the signed paper shows the choice
    ballot = Ballot.objects.filter(elector=elector_of(decision, vc.owners[2])).first()
    assert client.get(reverse("governance:decision_evidence", args=[ballot.token])).status_code == 403


@pytest.mark.parametrize("units", [1, 12])
def test_register_query_count_does_not_grow_with_the_electorate(client, django_assert_max_num_queries, units):
    vc = vote_community(buildings=2, units=units)
    decision = open_vote(vc, questions=("同意续聘XX物业公司", "同意调整物业费"))
    for owner in vc.owners:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    login(client, vc.chair)
    with django_assert_max_num_queries(22):  # the same bound for 2 and 24 owners
        response = client.get(url("ballot_register", decision))
    assert response.status_code == 200
    assert response.content.decode().count('<tr id="elector-') == len(vc.owners)


def test_register_is_paginated_by_fifty(client):
    vc = vote_community(buildings=3, units=18)  # 54 owners
    decision = open_vote(vc)
    login(client, vc.chair)
    first = client.get(url("ballot_register", decision)).content.decode()
    second = client.get(url("ballot_register", decision), {"page": 2}).content.decode()
    assert first.count('<tr id="elector-') == 50
    assert second.count('<tr id="elector-') == 4


# ---------------------------------------------------------------- Excel exports (D-12)


def _sheet_values(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[cell for cell in row] for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]


def test_results_workbook_has_both_denominators_and_both_tallies_and_is_logged(client, vc):
    decision = open_vote(vc)
    _vote_three_ways(client, vc, decision)
    svc.decision_count(actor=vc.chair, decision=close_now(decision))
    assert login(client, vc.owners[4]).get(url("decision_results_xlsx", decision)).status_code == 200
    response = client.get(url("decision_results_xlsx", decision))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_values(response)
    flat = [tuple(row[:3]) for row in rows]
    assert ("本范围业主总人数", 6, None) in flat  # both denominators (V-04)
    assert any(row[0] == "本范围专有部分总面积（m²）" and row[1] == 453 for row in rows)
    assert ("参与表决", 3, 226.5) in flat
    assert ("同意", 2, 151) in flat
    assert ("反对", 1, 75.5) in flat
    assert ("弃权", 0, 0) in flat
    assert ("本范围合计", 6, 453) in flat
    results = [row[1] for row in rows if row[0] == "结果"]
    assert results == ["参与表决未达法定比例，未通过"]  # 3 of 6 owners take part: less than 2/3 (V-03)
    failed = [row[1] for row in rows if row[0] == "未达到的条件"]
    assert len(failed) == 2 and any("3，总数为 6" in text for text in failed)
    assert AuditEntry.objects.filter(action="owners_decision.export_results", target_id=str(decision.pk)).count() == 2


def test_results_workbook_only_once_counted(client, vc):
    decision = open_vote(vc)
    assert login(client, vc.chair).get(url("decision_results_xlsx", decision)).status_code == 404
    assert not AuditEntry.objects.filter(action="owners_decision.export_results").exists()


@pytest.mark.parametrize("secret", [False, True])
def test_register_workbook_lists_participation_choices_only_on_open_ballots_and_is_logged(client, vc, secret):
    decision = open_vote(vc, is_secret=secret)
    _vote_three_ways(client, vc, decision)
    response = login(client, vc.chair).get(url("decision_register_xlsx", decision))
    assert response.status_code == 200
    rows = _sheet_values(response)
    owner_rows = {row[0]: row for row in rows if row and row[0] in {e.label for e in decision.electors.all()}}
    assert len(owner_rows) == 6
    first = owner_rows[elector_of(decision, vc.owners[0]).label]
    second = owner_rows[elector_of(decision, vc.owners[1]).label]
    assert first[3] == "是" and owner_rows[elector_of(decision, vc.owners[3]).label][3] == "否"
    if secret:
        assert all("同意" not in str(v) and "反对" not in str(v) for row in owner_rows.values() for v in row)
    else:
        assert "同意" in first and "反对" in second
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "业主0" not in text and "+86" not in text  # masked, no phone
    assert AuditEntry.objects.filter(action="owners_decision.export_register", actor=vc.chair).count() == 1


def test_register_export_query_count_does_not_grow(client, django_assert_max_num_queries):
    vc = vote_community(buildings=2, units=10)
    decision = open_vote(vc)
    for owner in vc.owners:
        svc.ballot_cast(user=owner, decision=decision, answers=answers_for(decision))
    login(client, vc.chair)
    with django_assert_max_num_queries(14):
        assert client.get(url("decision_register_xlsx", decision)).status_code == 200


# ---------------------------------------------------------------- who may open what


ALL_URLS = [
    "ballot_paper_entry",
    "proxy_queue",
    "proxy_upload",
    "ballot_register",
    "decision_results_xlsx",
    "decision_register_xlsx",
]


def test_another_communitys_member_gets_403_for_every_url(client, vc, stranger):
    decision = open_vote(vc)
    _vote_three_ways(client, vc, decision)
    svc.proxy_upload(
        actor=vc.chair,
        decision=decision,
        elector=elector_of(decision, vc.owners[4]),
        proxy_name="张三",
        document=scan("l.png"),
    )
    svc.decision_count(actor=vc.chair, decision=close_now(decision))
    login(client, stranger)
    for name in ALL_URLS:
        response = client.get(url(name, decision))
        assert response.status_code == 403, name
        assert "该表决属于其他小区" in response.content.decode(), name
    tokens = [Ballot.objects.exclude(scan="").first().token, Proxy.objects.get().token]
    for token in tokens:
        assert client.get(reverse("governance:decision_evidence", args=[token])).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="owners_decision.export").exists()


def test_an_owner_of_the_community_does_not_see_the_register(client, vc):
    decision = open_vote(vc)
    login(client, vc.owners[0])
    for name in ("ballot_paper_entry", "proxy_queue", "ballot_register", "decision_register_xlsx"):
        assert client.get(url(name, decision)).status_code == 403, name
    assert (
        client.post(
            url("ballot_paper_entry", decision), paper_post(decision, elector_of(decision, vc.owners[0]))
        ).status_code
        == 403
    )
    assert not Ballot.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, vc):
    decision = open_vote(vc)
    for name in ALL_URLS:
        response = client.get(url(name, decision))
        assert response.status_code == 302 and "login" in response["Location"], name


def test_community_staff_see_the_register_too(client, vc):
    decision = open_vote(vc)
    staff = member(vc.community, Role.COMMUNITY_STAFF, full_name="社区工作人员")
    assert login(client, staff).get(url("ballot_register", decision)).status_code == 200
    assert Decimal(decision.total_area) == Decimal("453.00")
