from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from home.domain.masking import mask_phone
from home.selectors_accounts import profile_context

from . import phone_reset
from .forms import PhonePasswordResetConfirmForm, PhonePasswordResetRequestForm, ProfileForm


@login_required
def profile(request):
    """我的账户: name (editable), phone and email, units, claims, roles per community, notifications."""
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        user.full_name = form.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        messages.success(request, _("Your name has been saved."))
        return redirect("profile")
    context = {"form": form, **profile_context(user)}
    return render(request, "account/profile.html", context, status=400 if form.errors else 200)


def password_reset_by_phone(request):
    form = PhonePasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if phone_reset.phone_reset_request(request, form.cleaned_data["phone"]):
            messages.info(request, _("If this number has an account, a code is on its way by text message."))
            return redirect("account_reset_password_by_phone_confirm")
        form.add_error("phone", _("Too many requests for this number. Please try again in an hour."))
    return render(request, "account/password_reset_phone.html", {"form": form}, status=400 if form.errors else 200)


def password_reset_by_phone_confirm(request):
    state = phone_reset.phone_reset_pending(request)
    if not state:
        return redirect("account_reset_password_by_phone")
    form = PhonePasswordResetConfirmForm(request.POST or None, user=phone_reset.phone_reset_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            phone_reset.phone_reset_confirm(request, form.cleaned_data["code"], form.cleaned_data["password1"])
        except phone_reset.ResetRefused as refusal:
            if phone_reset.phone_reset_pending(request) is None:
                messages.error(request, str(refusal))
                return redirect("account_reset_password_by_phone")
            form.add_error("code", str(refusal))
        else:
            messages.success(request, _("Your password has been changed. Please sign in with the new password."))
            return redirect("account_login")
    return render(
        request,
        "account/password_reset_phone_confirm.html",
        {"form": form, "phone": mask_phone(state["phone"])},
        status=400 if form.errors else 200,
    )
