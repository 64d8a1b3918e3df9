"""Account forms: mainland mobile numbers typed as people type them, the person's name at sign-up, the
profile form, and the reset of a forgotten password by SMS code (allauth 65 resets by email only)."""

from allauth.account.forms import ChangePhoneForm as AllauthChangePhoneForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from home.domain.identity import normalise_mobile

NAME_MAX_LENGTH = get_user_model()._meta.get_field("full_name").max_length


def mainland_mobile(value: str) -> str:
    """'13812345678', '138 1234 5678' or '+86 138…' → '+8613812345678'; anything else is refused."""
    normalised = normalise_mobile(value or "")
    if normalised is None:
        raise ValidationError(
            _("Enter a mainland China mobile number of 11 digits, e.g. 13812345678."), code="invalid_phone"
        )
    return normalised


class MainlandPhoneField(forms.CharField):
    """Accepts 11 digits with or without +86, spaces or hyphens; cleans to E.164 (+8613812345678)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return mainland_mobile(value)


class LoginForm(AllauthLoginForm):
    """allauth's login with a label and help that tell a first-time user what to type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mobile number or email")
        login.help_text = _("For example 13812345678, or the email address you signed up with.")
        login.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs["placeholder"] = ""


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (phone, optional email, password twice) with the person's name first."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("Your real name. The owners' committee sees it when you claim a unit."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please enter your name.")},
    )

    field_order = ["full_name", "phone", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Mobile phone number")
        self.fields["phone"].help_text = _("11 digits, e.g. 13812345678. We will text you a code to confirm it.")
        self.fields["email"].help_text = _("Optional. Lets us send you notifications and reset your password by email.")
        for name in ("phone", "email", "password1", "password2"):
            self.fields[name].widget.attrs["placeholder"] = ""

    def clean_full_name(self):
        value = self.cleaned_data["full_name"].strip()
        if not value:
            raise ValidationError(_("Please enter your name."), code="required")
        return value

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class ChangePhoneForm(AllauthChangePhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("New mobile number")
        self.fields["phone"].help_text = _(
            "We will text a code to the new number; the old one stays until you confirm."
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please enter your name.")},
    )

    def clean_full_name(self):
        value = self.cleaned_data["full_name"].strip()
        if not value:
            raise ValidationError(_("Please enter your name."), code="required")
        return value


class PhonePasswordResetRequestForm(forms.Form):
    phone = MainlandPhoneField(help_text=_("The number you signed up with. We will text you a code."))


class PhonePasswordResetConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            try:
                password_validation.validate_password(password1, self.user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned
