"""Sign-up and login by phone or email (allauth 65), SMS codes, password reset, rate limits, account pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from portal.accounts import sms
from portal.accounts.adapter import AccountAdapter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-9"
NEW_PASSWORD = "quiet-river-2718"


@pytest.fixture(autouse=True)
def _clean_outboxes():
    """Rate limits live in the cache and codes in the SMS outbox: start every test empty."""
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def last_code() -> str:
    assert sms.outbox, "no text message was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].message).group(1)


def signup(client, **overrides):
    data = {
        "full_name": "王秀英",
        "phone": "13912345678",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


# --- phone numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["13812345678", "+8613812345678", "138 1234 5678", "138-1234-5678", "008613812345678"]
)
def test_adapter_finds_a_user_by_any_usual_spelling_of_the_number(typed):
    user = UserFactory(phone="+8613812345678")
    assert AccountAdapter().get_user_by_phone(typed) == user


@pytest.mark.parametrize("typed", ["", "12345", "+12025550123", "10012345678", "1381234567", "+85291234567"])
def test_adapter_finds_nobody_for_a_number_that_is_not_a_mainland_mobile(typed):
    UserFactory(phone="+8613812345678")
    assert AccountAdapter().get_user_by_phone(typed) is None


def test_adapter_stores_numbers_in_e164_and_reports_verification():
    user = UserFactory(phone=None, phone_verified=False)
    adapter = AccountAdapter()
    adapter.set_phone(user, "13812345678", False)
    user.refresh_from_db()
    assert adapter.get_phone(user) == ("+8613812345678", False)
    adapter.set_phone_verified(user, "13812345678")
    user.refresh_from_db()
    assert user.phone_verified is True


def test_changing_the_number_takes_effect_only_once_the_new_number_is_confirmed(client):
    user = UserFactory(phone="+8613800000001")
    client.post(reverse("account_login"), {"login": "13800000001", "password": PASSWORD})
    response = client.post(reverse("account_change_phone"), {"phone": "137 0000 0002"})
    assert response["Location"] == reverse("account_verify_phone")
    assert sms.outbox[-1].phone == "+8613700000002"
    user.refresh_from_db()
    assert user.phone == "+8613800000001"
    client.post(reverse("account_verify_phone"), {"code": last_code()})
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+8613700000002", True)


def test_changing_to_a_number_of_another_account_is_refused(client):
    user = UserFactory(phone="+8613800000001")
    UserFactory(phone="+8613700000002")
    client.post(reverse("account_login"), {"login": "13800000001", "password": PASSWORD})
    client.post(reverse("account_change_phone"), {"phone": "13700000002"})
    client.post(reverse("account_verify_phone"), {"code": "123456"})
    user.refresh_from_db()
    assert user.phone == "+8613800000001"


def test_adapter_has_every_phone_method_allauth_requires():
    assert AccountAdapter()._has_phone_impl


# --- sign-up ------------------------------------------------------------------------------------------------


def test_signup_by_phone_without_country_code_texts_a_code_and_confirms_the_number(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get()
    assert user.phone == "+8613912345678"
    assert user.full_name == "王秀英"
    assert user.phone_verified is False
    assert sms.outbox[-1].phone == "+8613912345678"
    assert sms.outbox[-1].message.startswith("【社区共治平台】")

    response = client.post(reverse("account_verify_phone"), {"code": last_code()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified is True
    assert client.get(reverse("profile")).status_code == 200


def test_signup_with_a_wrong_code_does_not_confirm_the_number(client):
    signup(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("account_verify_phone"), {"code": wrong})
    assert response.status_code == 200
    assert User.objects.get().phone_verified is False


def test_signup_refuses_a_number_that_is_not_a_mainland_mobile_in_chinese(client):
    response = signup(client, phone="+12025550123")
    assert response.status_code == 200
    assert "请输入11位中国大陆手机号" in response.content.decode()
    assert not User.objects.exists()
    assert not sms.outbox


def test_signup_requires_the_persons_name(client):
    response = signup(client, full_name="  ")
    assert response.status_code == 200
    assert "请填写您的姓名" in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_a_taken_number_creates_no_second_account_and_tells_the_owner_by_text(client):
    UserFactory(phone="+8613912345678")
    signup(client)
    assert User.objects.count() == 1
    assert "已注册" in sms.outbox[-1].message


def test_signup_with_email_also_stores_the_email(client):
    signup(client, email="wang@example.com")
    assert User.objects.get().email == "wang@example.com"


# --- login --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["13800000001", "+8613800000001", "wang@example.com"])
def test_login_by_phone_with_or_without_plus86_or_by_email(client, login):
    UserFactory(phone="+8613800000001", email="wang@example.com")
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")


def test_login_with_a_wrong_password_is_refused_in_chinese(client):
    UserFactory(phone="+8613800000001")
    response = client.post(reverse("account_login"), {"login": "13800000001", "password": "wrong"})
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_refused_even_with_the_right_password(client):
    """ACCOUNT_RATE_LIMITS login_failed 5/5m per number: the sixth try is refused outright."""
    UserFactory(phone="+8613800000001")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13800000001", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "13800000001", "password": PASSWORD})
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_for_one_number_do_not_lock_out_another(client):
    UserFactory(phone="+8613800000001")
    UserFactory(phone="+8613800000002")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "13800000001", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "13800000002", "password": PASSWORD})
    assert response.status_code == 302


def test_many_failed_logins_from_one_address_are_refused_whatever_the_number(client):
    UserFactory(phone="+8613800000001")
    for n in range(30):
        client.post(reverse("account_login"), {"login": f"1390000{n:04d}", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "13800000001", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    assert "尝试次数过多" in response.content.decode()


def test_login_by_text_message_code(client):
    user = UserFactory(phone="+8613800000001")
    response = client.post(reverse("account_request_login_code"), {"phone": "13800000001"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    assert sms.outbox[-1].phone == "+8613800000001"
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_code_for_an_unknown_number_sends_no_code(client):
    response = client.post(reverse("account_request_login_code"), {"phone": "13800000009"})
    assert response.status_code == 302
    assert all(not re.search(r"\d{6}", message.message) for message in sms.outbox)
    assert "_auth_user_id" not in client.session


# --- password reset -----------------------------------------------------------------------------------------


def test_password_reset_by_email_sends_a_link(client):
    UserFactory(email="wang@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "wang@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_by_text_message_sets_a_new_password(client):
    user = UserFactory(phone="+8613800000001", phone_verified=False)
    response = client.post(reverse("account_reset_password_by_phone"), {"phone": "138 0000 0001"})
    assert response["Location"] == reverse("account_reset_password_by_phone_confirm")
    assert sms.outbox[-1].phone == "+8613800000001"
    response = client.post(
        reverse("account_reset_password_by_phone_confirm"),
        {"code": last_code(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.phone_verified is True
    assert "密码已修改" in sms.outbox[-1].message


def test_password_reset_by_text_message_refuses_a_wrong_code(client):
    user = UserFactory(phone="+8613800000001")
    client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post(
        reverse("account_reset_password_by_phone_confirm"),
        {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "验证码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_text_message_starts_over_after_three_wrong_codes(client):
    user = UserFactory(phone="+8613800000001")
    client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    data = {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    for _ in range(3):
        response = client.post(reverse("account_reset_password_by_phone_confirm"), data)
    assert response["Location"] == reverse("account_reset_password_by_phone")
    response = client.post(reverse("account_reset_password_by_phone_confirm"), {**data, "code": code})
    assert response["Location"] == reverse("account_reset_password_by_phone")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_by_text_message_does_not_reveal_unknown_numbers(client):
    response = client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000009"})
    assert response["Location"] == reverse("account_reset_password_by_phone_confirm")
    assert not sms.outbox


def test_password_reset_by_text_message_is_rate_limited_per_number(client):
    UserFactory(phone="+8613800000001")
    for _ in range(3):
        client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    response = client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    assert response.status_code == 400
    assert len(sms.outbox) == 3


def test_password_reset_by_text_message_refuses_a_weak_password(client):
    user = UserFactory(phone="+8613800000001")
    client.post(reverse("account_reset_password_by_phone"), {"phone": "13800000001"})
    response = client.post(
        reverse("account_reset_password_by_phone_confirm"),
        {"code": last_code(), "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- the pages are ours and Chinese -------------------------------------------------------------------------

ENTRANCE_PAGES = [
    ("account_login", "登录"),
    ("account_signup", "注册"),
    ("account_request_login_code", "短信验证码"),
    ("account_reset_password", "重设密码"),
    ("account_reset_password_by_phone", "短信"),
]


@pytest.mark.parametrize(("url_name", "heading"), ENTRANCE_PAGES)
def test_account_pages_use_the_site_layout_in_chinese_without_inline_code(client, url_name, heading):
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in html
    assert 'class="site-header"' in html
    assert html.count("<h1") == 1
    assert heading in re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None


def test_every_input_on_the_signup_page_has_a_label(client):
    html = client.get(reverse("account_signup")).content.decode()
    for input_id in re.findall(r'<input[^>]*type="(?!hidden)[^"]*"[^>]*id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    assert "手机号" in html and "姓名" in html


def test_signup_errors_are_tied_to_their_field(client):
    html = signup(client, phone="123").content.decode()
    assert 'id="id_phone_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_phone_error', html)


def test_phone_verification_page_is_chinese(client):
    signup(client)
    html = client.get(reverse("account_verify_phone")).content.decode()
    assert "验证码" in html
    assert "139 1234 5678" in html


def test_logout_is_a_post_and_the_page_is_chinese(client):
    client.force_login(UserFactory())
    assert "退出" in client.get(reverse("account_logout")).content.decode()
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


# --- SMS backends -------------------------------------------------------------------------------------------


def test_console_backend_prints_the_text():
    import io

    stream = io.StringIO()
    sms.ConsoleSMSBackend(stream=stream).send("+8613800000001", "您的验证码是 123456")
    assert "+8613800000001" in stream.getvalue()
    assert "123456" in stream.getvalue()


def test_backend_is_chosen_by_settings(settings):
    settings.SMS_BACKEND = "portal.accounts.sms.ConsoleSMSBackend"
    assert isinstance(sms.get_sms_backend(), sms.ConsoleSMSBackend)
    settings.SMS_BACKEND = "portal.accounts.sms.LocmemSMSBackend"
    sms.sms_send("+8613800000001", "测试")
    assert sms.outbox[-1] == sms.SMSMessage(phone="+8613800000001", message="【社区共治平台】测试")


def test_base_backend_must_be_implemented():
    with pytest.raises(NotImplementedError):
        sms.BaseSMSBackend().send("+8613800000001", "测试")
