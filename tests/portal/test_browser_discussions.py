"""议事厅 live, end to end: two residents on phones, the real ASGI server (daphne), WebSocket in Chromium.

孙丽 and 周磊 both have the proposal "加装电梯征求意见" open. 周磊 replies with a stance through the plain form;
孙丽's page shows the reply and the new tally without reloading. This is the one place where the pages' socket
meets the real server: pytest-django's live_server speaks WSGI only.
"""

import pytest

from tests.portal.servers import Daphne, manage, server_env

pytestmark = [pytest.mark.browser]

SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from governance.models import Topic
from governance.services.discussions import topic_open
from tests.governance.discussion_helpers import discussion_community, resident_in

community = discussion_community()
sun = resident_in(community, full_name="孙丽")
zhou = resident_in(community, building_index=1, full_name="周磊")
topic = topic_open(
    actor=sun, community=community, title="加装电梯征求意见", body="1号楼想加装电梯，大家怎么看？",
    kind=Topic.Kind.PROPOSAL,
)


def session_of(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


print(topic.pk, session_of(sun), session_of(zhou))
"""


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    env = server_env(tmp_path_factory.mktemp("discussions-live"))
    manage(["migrate", "--no-input", "-v0"], env)
    topic_id, sun_session, zhou_session = manage(["shell", "-c", SETUP], env).split()[-3:]
    daphne = Daphne(env)
    try:
        base_url = f"http://127.0.0.1:{daphne.wait_ready()}"
        yield base_url, int(topic_id), sun_session, zhou_session
    finally:
        daphne.stop()


def _phone_page(browser, base_url, session_key):
    from tests.portal.conftest import PHONE_VIEWPORT

    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": base_url}])
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def test_a_reply_with_a_stance_appears_live_on_the_other_residents_phone(live_site, browser):
    from playwright.sync_api import expect

    base_url, topic_id, sun_session, zhou_session = live_site
    topic_url = f"{base_url}/topics/{topic_id}/"
    sun = _phone_page(browser, base_url, sun_session)
    zhou = _phone_page(browser, base_url, zhou_session)
    sun.goto(topic_url)
    expect(sun.get_by_role("heading", level=1)).to_have_text("加装电梯征求意见")
    support = sun.locator('[data-stance-tally] [data-stance-count="support"]')
    expect(support).to_have_text("0")
    sun.wait_for_timeout(1000)  # let the socket open: the reply should arrive live, not by catch-up

    zhou.goto(topic_url)
    zhou.locator("#reply textarea[name=body]").fill("支持加装，老人上下楼太难了。")
    zhou.locator('#reply input[name=stance][value="support"]').check()
    zhou.locator("#reply button[type=submit]").click()
    expect(zhou.locator("#posts")).to_contain_text("支持加装，老人上下楼太难了。")

    expect(sun.locator("#posts")).to_contain_text("支持加装，老人上下楼太难了。", timeout=10_000)
    expect(support).to_have_text("1")
    expect(sun.locator("#live-status")).not_to_be_empty()
    assert sun.locator("#posts > li.post").count() == 1  # delivered once, even if the catch-up overlapped
    assert sun.problems == [] and zhou.problems == [], (sun.problems, zhou.problems)
