"""The fee desk and the arrears notice at a phone's width (390 px) in Debian's Chromium: no page scrolls sideways
(wide tables scroll inside their wrapper), and the browser reports no CSP refusal or script error."""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from property.domain.fees import add_months, period_start
from property.models import Reminder
from property.services import ledger
from property.services.reminders import arrears_notice_publish
from tests.portal.conftest import PHONE_VIEWPORT, browser, chromium_executable  # noqa: F401  (fixtures)
from tests.property.fee_helpers import MONTHLY, fee_community, pay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


SHOTS = os.environ.get("FEES_DESK_SHOTS", "")  # a folder: keep a full-page screenshot of each page
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391
  && (!e.parentElement.closest('.table-wrap'))).slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' +
  Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 30))"""


def _session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _check(browser, live_server, user, paths):  # noqa: F811
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_cookies([_session_cookie(live_server, user)])
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: (
            m.type == "error" and not m.text.startswith(("Failed to load", "WebSocket")) and problems.append(m.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(WIDEST) if width > PHONE_VIEWPORT["width"] else []
        assert width <= PHONE_VIEWPORT["width"], f"{path} scrolls sideways ({width}px): {wide}"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{path.strip('/').replace('/', '_')}.png", full_page=True)
    assert problems == []
    context.close()


def test_the_desk_pages_fit_a_phone(live_server, browser):  # noqa: F811
    fc = fee_community(buildings=2, units=3)
    this_month = period_start(timezone.localdate())
    for n in (4, 3, 2, 1):
        ledger.charges_run(actor=fc.cashier, community=fc.community, period=add_months(this_month, -n))
    pay(fc, fc.units[1], str(2 * MONTHLY))
    Reminder.objects.create(
        community=fc.community,
        unit=fc.units[0],
        amount_due=4 * MONTHLY,
        deadline=timezone.localdate() - timedelta(days=1),
        sent_by=fc.cashier,
        sent_at=timezone.now() - timedelta(days=10),
    )
    arrears_notice_publish(actor=fc.chair, community=fc.community)
    cid = fc.community.pk
    desk_paths = [
        reverse("property:desk", args=[cid]),
        reverse("property:schedules", args=[cid]),
        reverse("property:charge_run", args=[cid]),
        reverse("property:unit_account", args=[fc.units[0].pk]),
        reverse("property:reminders", args=[cid]),
        reverse("property:arrears_notice", args=[cid]),
    ]
    _check(browser, live_server, fc.cashier, desk_paths)
    _check(browser, live_server, fc.owners[2], [reverse("property:arrears_notice", args=[cid])])
