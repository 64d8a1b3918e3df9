"""django-allauth glue: phone numbers live on our User (phone, phone_verified), codes go out by SMS.

Numbers are stored in E.164 (+8613812345678); people may type 11 digits without +86 (see forms.py).
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from home.domain.identity import normalise_mobile
from home.domain.masking import mask_phone

from .forms import MainlandPhoneField, mainland_mobile
from .sms import sms_send


def user_display(user) -> str:
    """How allauth names a user in its pages and messages: the name, else the masked phone."""
    return user.full_name or mask_phone(user.phone or "") or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs):
        return MainlandPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return mainland_mobile(phone)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = mainland_mobile(phone)
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        """Called once a code sent to `phone` came back: at sign-up and code login that is the user's own
        number; when changing numbers it is the new one, which only now replaces the old."""
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        normalised = normalise_mobile(phone or "")
        if normalised is None:
            return None
        return get_user_model().objects.filter(phone=normalised, is_active=True).order_by("pk").first()

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys failed logins by email or username only, so every phone login would share one
        counter: five failures anywhere would lock out all phone users. Key them by the number instead."""
        phone = credentials.get("phone")
        if phone and not credentials.get("email"):
            number = normalise_mobile(phone) or phone
            return super()._get_login_attempts_cache_key(request, username=f"phone:{number}")
        return super()._get_login_attempts_cache_key(request, **credentials)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        sms_send(
            phone, _("Your code is %(code)s. Enter it within a few minutes; never tell it to anyone.") % {"code": code}
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        sms_send(phone, _("Someone asked for a sign-in code for this number, but it has no account. Ignore it."))

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms_send(
            phone,
            _("This number already has an account. Sign in, or reset your password if you forgot it."),
        )
