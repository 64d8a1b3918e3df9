"""Every page of the accounts part: Chinese, one <h1>, labelled inputs, nothing inline that the CSP forbids."""

import re

import pytest
from django.urls import reverse, reverse_lazy

from home.models import CommunityRole, Unit
from home.services.claims import unit_claim_submit
from home.services.notifications import notify
from portal.accounts import sms
from tests.factories import UserFactory, community_with_units, member

pytestmark = pytest.mark.django_db
Role = CommunityRole.Role
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/json")[^>]*>')  # JSON data does not run


@pytest.fixture
def committee_client(client):
    community = community_with_units(buildings=1, entrances=2, units=2)
    unit = Unit.objects.filter(entrance__building__community=community).first()
    claimant = UserFactory()
    unit_claim_submit(user=claimant, unit=unit, relation="tenant", claimant_name="赵六", evidence_note="租赁合同")
    secretary = member(community, Role.OWNERS_COMMITTEE)
    notify(recipient=secretary, title="测试通知", body="正文", url="/me/")
    client.force_login(secretary)
    client.community = community
    return client


def page_urls(community):
    building = community.buildings.first()
    return [
        reverse("profile"),
        reverse("home:notifications"),
        reverse("home:claim_start", kwargs={"community_id": community.pk}),
        reverse("home:claim_start", kwargs={"community_id": community.pk}) + f"?building={building.pk}",
        reverse("home:claim_queue", kwargs={"community_id": community.pk}),
        reverse("home:audit_log", kwargs={"community_id": community.pk}),
        reverse("account_change_phone"),
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
    ]


def assert_accessible_chinese_page(html: str, url: str):
    assert '<html lang="zh-Hans"' in html, url
    assert html.count("<h1") == 1, url
    assert re.search(r"[\u4e00-\u9fff]", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)), url
    assert " style=" not in html, url
    assert INLINE_SCRIPT.search(html) is None, url
    for input_id in re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, f"{url}: #{input_id} has no label"


def test_signed_in_pages_are_chinese_accessible_and_csp_clean(committee_client):
    for url in page_urls(committee_client.community):
        response = committee_client.get(url)
        assert response.status_code == 200, url
        assert_accessible_chinese_page(response.content.decode(), url)


def test_code_entry_pages_are_chinese_accessible_and_csp_clean(client):
    sms.outbox.clear()
    UserFactory(phone="+8613800000001")
    client.post(reverse("account_request_login_code"), {"phone": "13800000001"})
    html = client.get(reverse("account_confirm_login_code")).content.decode()
    assert_accessible_chinese_page(html, "confirm_login_code")
    assert "138 0000 0001" in html

    client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    html = client.get(reverse("account_reset_password_by_phone_confirm")).content.decode()
    assert_accessible_chinese_page(html, "reset_by_phone_confirm")
    assert "138****0001" in html  # the number typed is shown masked on a possibly shared screen


@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("account_reset_password_done"),
        reverse_lazy("account_email_verification_sent"),
        reverse_lazy("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad-key"}),
    ],
)
def test_other_allauth_pages_render_in_the_site_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_accessible_chinese_page(response.content.decode(), str(url))
