"""The foundation's journey in a real browser, at a phone's width (390 px), on the demo city.

A visitor opens the home page and a community page; a resident signs up by phone (the code comes from the SMS
outbox), claims a home; the owners' committee member logs in with the demo account of the README and verifies
the claim; the resident now sees the residents' area (居民专区), which was closed to her before.

Debian's Chromium (/usr/bin/chromium) through Playwright; never a downloaded browser. Skips without it, except
under CI=true. Labels are looked up in the Chinese catalog, so the test reads the page as a person does.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from home.models import CommunityPage, Residency, Unit, UnitClaim
from portal.accounts import sms
from portal.management.demo_city import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")
RESIDENT_NAME = "马晓燕"
RESIDENT_PHONE = "138 3730 6512"


def zh(message: str) -> str:
    """What the page shows for an English message id; fails when the catalog has no Chinese for it."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    assert CJK.search(text), f"no Chinese for {message!r}"
    return text


@pytest.fixture(autouse=True)
def _allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop open in this thread; the ORM calls here are still synchronous.
    Set for these tests only: the variable must not leak into other tests (check --deploy refuses it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo_city(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    sms.outbox.clear()
    return CommunityPage.objects.get(slug="xiangyang-xincun")


def _expect():
    from playwright.sync_api import expect

    return expect


def _header_logout(page):
    return page.locator("header").get_by_role("button", name=zh("Log out"), exact=True)


def _log_out(page):
    _header_logout(page).click()
    _expect()(page.locator("header").get_by_role("link", name=zh("Log in"), exact=True)).to_be_visible()


def _log_in(page, base_url, login, password):
    page.goto(base_url + reverse("account_login"))
    page.get_by_label(zh("Mobile number or email")).fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    _expect()(_header_logout(page)).to_be_visible()


def _no_console_problems(page):
    # The strict CSP (script-src/style-src 'self') would show up here as "Refused to …".
    assert page.console_problems == []


def test_visitor_resident_and_committee_member_complete_the_claim_journey_on_a_phone(
    live_server, demo_city, phone_page
):
    expect = _expect()
    page, base = phone_page, live_server.url
    community = demo_city
    unit = Unit.objects.get(
        entrance__building__community=community, entrance__building__name="6号楼", entrance__name="2单元", room="101"
    )
    residents_url = base + reverse("home:community_residents", kwargs={"community_id": community.pk})

    # A visitor: the home page, the community index, the community page.
    page.goto(base + "/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", re.compile("zh"))
    page.get_by_role("link", name=zh("Find my community")).first.click()
    page.get_by_role("link", name="向阳新村").first.click()
    expect(page.locator("h1")).to_have_text("向阳新村")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the community page scrolls sideways"

    # The residents' area sends a visitor to the login page.
    page.goto(residents_url)
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login"))))

    # A resident signs up by phone and confirms the number with the texted code.
    page.goto(base + community.url)
    page.get_by_role("link", name=zh("Log in to claim my home")).click()
    page.locator("main").get_by_role("link", name=zh("Sign up")).first.click()
    page.get_by_label(zh("Your name")).fill(RESIDENT_NAME)
    page.get_by_label(zh("Mobile phone number")).fill(RESIDENT_PHONE)
    page.locator("input[name=password1]").fill("Qiuju-2026-xinxiang")
    page.locator("input[name=password2]").fill("Qiuju-2026-xinxiang")
    page.get_by_role("button", name=zh("Sign Up")).click()
    expect(page.get_by_label(zh("Verification code"))).to_be_visible()
    assert sms.outbox, "no verification text was sent"
    assert sms.outbox[-1].phone == "+8613837306512"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].message).group(1)
    page.get_by_label(zh("Verification code")).fill(code)
    page.get_by_role("button", name=zh("Confirm")).click()
    expect(_header_logout(page)).to_be_visible()

    # She claims her home: building, then room, as a family member.
    page.goto(base + community.url)
    page.get_by_role("link", name=zh("Claim my home")).click()
    page.get_by_role("link", name=re.compile(r"^6号楼")).click()
    page.get_by_label(zh("Room")).select_option(value=str(unit.pk))
    page.get_by_label(zh("family member"), exact=True).check()
    expect(page.get_by_label(zh("Your name"))).to_have_value(RESIDENT_NAME)
    page.get_by_label(zh("Evidence (optional)")).fill("户主是我父亲")
    page.get_by_role("button", name=zh("Send my claim")).click()
    expect(page.locator("body")).to_contain_text(unit.label)
    claim = UnitClaim.objects.get(user__phone="+8613837306512")
    assert (claim.status, claim.unit_id, claim.relation) == ("pending", unit.pk, "family")

    # Until the committee verifies it, the residents' area stays closed to her.
    response = page.goto(residents_url)
    assert response.status == 403
    _no_console_problems(page)
    _log_out(page)

    # The committee member logs in with her phone number and the demo password of the README, and verifies.
    _log_in(page, base, "13900000003", DEMO_PASSWORD)
    page.goto(base + community.url)
    page.get_by_role("link", name=zh("Review home claims")).click()
    item = (
        page.locator("li, tr, article, .card")
        .filter(has_text=RESIDENT_NAME)
        .filter(has=page.get_by_role("button", name=zh("Verify")))
        .last
    )
    expect(item).to_contain_text("138****6512")
    item.get_by_role("button", name=zh("Verify")).click()
    expect(page.locator("body")).to_contain_text(RESIDENT_NAME)
    claim.refresh_from_db()
    assert claim.status == "verified"
    assert Residency.objects.filter(person__user=claim.user, unit=unit, relation="family").exists()
    _log_out(page)

    # The resident logs in again by phone and now reaches the residents' area.
    _log_in(page, base, RESIDENT_PHONE, "Qiuju-2026-xinxiang")
    page.goto(base + community.url)
    page.get_by_role("link", name=zh("Residents' area")).first.click()
    expect(page).to_have_url(residents_url)
    expect(page.locator("h1")).to_contain_text("向阳新村")
    expect(page.locator("h1")).to_contain_text(zh("Residents' area"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the residents' area scrolls sideways"
    _no_console_problems(page)
