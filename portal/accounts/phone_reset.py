"""Reset a forgotten password with a code sent by SMS.

allauth 65 resets passwords by email only, and many residents have no email address. The flow mirrors
allauth's code flows: the code lives in the session, expires, allows a few wrong tries, and is rate
limited per number and per IP through allauth's own limiter ("reset_password" in ACCOUNT_RATE_LIMITS).
An unknown number gets the same answer as a known one, so the form does not reveal who has an account.
"""

import secrets
import time

from allauth.core import ratelimit
from django.conf import settings
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .adapter import AccountAdapter
from .sms import sms_send

SESSION_KEY = "portal_phone_password_reset"
CODE_DIGITS = 6


class ResetRefused(Exception):
    """The code is wrong, expired or used up; the message says which, in Chinese."""


def phone_reset_request(request, phone: str) -> bool:
    """Text a code to `phone` if it belongs to an account. False when rate limited."""
    if not ratelimit.consume(request, action="reset_password", key=phone):
        return False
    user = AccountAdapter(request).get_user_by_phone(phone)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    request.session[SESSION_KEY] = {
        "user_id": user.pk if user else None,
        "phone": phone,
        "code": code,
        "sent_at": time.time(),
        "attempts": 0,
    }
    if user is not None:
        sms_send(
            phone,
            _("Your code to reset your password is %(code)s. Never tell it to anyone.") % {"code": code},
        )
    return True


def phone_reset_pending(request) -> dict | None:
    return request.session.get(SESSION_KEY)


def phone_reset_user(request):
    state = phone_reset_pending(request)
    if not state or not state.get("user_id"):
        return None
    return AccountAdapter(request).get_user_by_phone(state["phone"])


def phone_reset_confirm(request, code: str, password: str):
    """Set the new password if the code matches. Raises ResetRefused otherwise."""
    state = phone_reset_pending(request)
    if not state:
        raise ResetRefused(_("Please ask for a new code."))
    if time.time() - state["sent_at"] > settings.SMS_PASSWORD_RESET_TIMEOUT:
        request.session.pop(SESSION_KEY, None)
        raise ResetRefused(_("The code has expired. Please ask for a new code."))
    user = phone_reset_user(request)
    if user is None or not constant_time_compare(code, state["code"]):
        state["attempts"] += 1
        if state["attempts"] >= settings.SMS_PASSWORD_RESET_MAX_ATTEMPTS:
            request.session.pop(SESSION_KEY, None)
            raise ResetRefused(_("Too many wrong codes. Please ask for a new code."))
        request.session[SESSION_KEY] = state
        raise ResetRefused(_("The code is not correct."))
    user.set_password(password)
    user.phone_verified = True  # the code proves the number is theirs
    user.save(update_fields=["password", "phone_verified"])
    request.session.pop(SESSION_KEY, None)
    sms_send(state["phone"], _("Your password has been changed. If this was not you, contact your committee."))
    return user
