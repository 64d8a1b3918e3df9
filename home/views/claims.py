"""Unit claims: a resident claims a room (works without JavaScript on a phone, even with ~600 units), the
committee of THAT community verifies or rejects it with a reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from home import permissions
from home.domain.masking import mask_phone
from home.models import Building, CommunityPage, Residency, UnitClaim
from home.selectors_accounts import (
    claim_buildings,
    claim_unit_choices,
    pending_claims,
    phone_matches_owner,
    recent_claim_decisions,
)
from home.services.claims import (
    unit_claim_reject,
    unit_claim_submit,
    unit_claim_verify,
    unit_claim_withdraw,
)

QUEUE_PAGE_SIZE = 20


class ClaimForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Room"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": gettext_lazy("Choose your room."),
            "invalid_choice": gettext_lazy("Choose a room from the list."),
        },
    )
    relation = forms.ChoiceField(
        label=gettext_lazy("You live there as"),
        choices=Residency.Relation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose whether you are the owner, a family member or a tenant.")},
    )
    claimant_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=UnitClaim._meta.get_field("claimant_name").max_length,
        help_text=gettext_lazy("Your real name, so that the committee can check it against the register."),
        error_messages={"required": gettext_lazy("Please enter your name.")},
    )
    evidence_note = forms.CharField(
        label=gettext_lazy("Evidence (optional)"),
        max_length=UnitClaim._meta.get_field("evidence_note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=UnitClaim._meta.get_field("evidence_note").help_text,
    )

    # Which field a refusal from the service belongs to, so the message sits next to it.
    ERROR_FIELDS = {"no_unit": "unit", "duplicate": "unit", "already_resident": "unit", "relation": "relation"}

    def __init__(self, *args, unit_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Choose a room")), *unit_groups]

    def add_service_error(self, error: ValidationError) -> None:
        self.add_error(self.ERROR_FIELDS.get(error.code), error)


@login_required
def claim_start(request, community_id):
    """Step 1 (no ?building): pick a building. Step 2: pick the room of that building, grouped by entrance."""
    community = get_object_or_404(CommunityPage, pk=community_id)
    building_id = request.POST.get("building") or request.GET.get("building")
    if not building_id:
        return render(
            request,
            "home/claims/claim_buildings.html",
            {"community": community, "buildings": claim_buildings(community)},
        )
    if not str(building_id).isdigit():
        raise Http404
    building = get_object_or_404(Building, pk=int(building_id), community=community)
    form = ClaimForm(
        request.POST if request.method == "POST" else None,
        unit_groups=claim_unit_choices(building),
        initial={"claimant_name": request.user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            claim = unit_claim_submit(
                user=request.user,
                unit=form.cleaned_data["unit"],
                relation=form.cleaned_data["relation"],
                claimant_name=form.cleaned_data["claimant_name"],
                evidence_note=form.cleaned_data["evidence_note"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("Your claim to %(unit)s has been sent. The owners' committee will verify it; you will be notified.")
                % {"unit": claim.unit.label},
            )
            return redirect("profile")
    return render(
        request,
        "home/claims/claim_start.html",
        {"community": community, "building": building, "form": form},
        status=400 if form.errors else 200,
    )


def _community_for_verifier(request, community_id) -> CommunityPage:
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not permissions.can_verify_claims(request.user, community):
        raise PermissionDenied
    return community


def _queue_context(request, community, errors=None, reasons=None):
    """The page of pending claims, each with the claimant's masked phone (D-01), whether that phone is an
    owner's phone in the register, and any error and reason draft from a refused decision."""
    page = Paginator(pending_claims(community), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    errors, reasons = errors or {}, reasons or {}
    claims = list(page.object_list)
    for claim in claims:
        claim.masked_phone = mask_phone(claim.user.phone or "")
        claim.phone_matches_register = phone_matches_owner(claim.user.phone, claim.unit.current_ownerships)
        claim.errors = errors.get(claim.pk, [])
        claim.reason_draft = reasons.get(claim.pk, "")
    return {
        "community": community,
        "page_obj": page,
        "claims": claims,
        "recent": recent_claim_decisions(community),
    }


@login_required
def claim_queue(request, community_id):
    community = _community_for_verifier(request, community_id)
    return render(request, "home/claims/claim_queue.html", _queue_context(request, community))


@login_required
@require_POST
def claim_decide(request, community_id, pk):
    community = _community_for_verifier(request, community_id)
    claim = get_object_or_404(UnitClaim, pk=pk, unit__entrance__building__community=community)
    decision = request.POST.get("decision")
    try:
        if decision == "verify":
            unit_claim_verify(actor=request.user, claim=claim)
            messages.success(request, _("The claim of %(name)s has been verified.") % {"name": claim.claimant_name})
        elif decision == "reject":
            unit_claim_reject(actor=request.user, claim=claim, reason=request.POST.get("reason", ""))
            messages.success(request, _("The claim of %(name)s has been rejected.") % {"name": claim.claimant_name})
        else:
            raise ValidationError(_("Choose verify or reject."), code="decision")
    except ValidationError as error:
        context = _queue_context(
            request,
            community,
            errors={claim.pk: error.messages},
            reasons={claim.pk: request.POST.get("reason", "")},
        )
        return render(request, "home/claims/claim_queue.html", context, status=400)
    return redirect(reverse("home:claim_queue", kwargs={"community_id": community.pk}))


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = get_object_or_404(UnitClaim, pk=pk, user=request.user)
    try:
        unit_claim_withdraw(user=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your claim has been withdrawn."))
    return redirect("profile")


urlpatterns = [
    path("community/<int:community_id>/claim/", claim_start, name="claim_start"),
    path("community/<int:community_id>/claims/", claim_queue, name="claim_queue"),
    path("community/<int:community_id>/claims/<int:pk>/decide/", claim_decide, name="claim_decide"),
    path("claims/<int:pk>/withdraw/", claim_withdraw, name="claim_withdraw"),
]
