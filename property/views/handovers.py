"""Handovers (物业移交 / 承接查验, P-03…P-06) and the 三供一业 facility handovers (S-06, P-11) of issue 9.

Views parse, check the permission (property.management_permissions), call a writer of
property.services.management and show its Chinese refusal; they change nothing themselves. Every form works without
JavaScript (POST, then redirect to the handover page; a refusal re-renders the page with the form's errors)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from home.permissions import is_bureau_staff, roles_in
from property import handover_selectors as selectors
from property import management_permissions as can
from property.domain import management as rules
from property.forms_handovers import (
    ORDER_LABELS,
    PARTY_KIND_LABELS,
    RETROFIT_LABELS,
    SGYY_HANDOVER_LABELS,
    STATE_BADGES,
    STATE_LABELS,
    STATUS_LABELS,
    FileForm,
    HandoverOpenForm,
    ItemAddForm,
    ItemCheckForm,
    ItemCloseForm,
    SgyyFacilityForm,
    SignForm,
    attachment_discard,
    attachment_save,
)
from property.forms_renovation import evidence_document
from property.models import Handover, HandoverItem, SgyyRetrofit
from property.services import management as services
from property.views.common import add_errors, community_or_404, error_text, refuse

FORBIDDEN_TEMPLATE = "property/handovers/forbidden.html"


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


def _to_handover(handover, anchor=""):
    return redirect(reverse("property:handover", args=[handover.pk]) + (f"#{anchor}" if anchor else ""))


# ---------------------------------------------------------------- the list and a new handover


@require_http_methods(["GET"])
def handover_list(request, community_id):
    community = community_or_404(community_id)
    user = request.user
    handovers = [handover for handover in selectors.handovers_of(community) if can.can_read_handover(user, handover)]
    for handover in handovers:
        handover.kind_label = rules.HANDOVER_KIND_LABELS.get(handover.kind, handover.kind)
        handover.status_label = STATUS_LABELS.get(handover.status, handover.status)
    belongs = bool(roles_in(user, community)) or is_bureau_staff(user)
    may_open = can.can_open_handover(user, community)
    if not (belongs or handovers or may_open):
        return _refuse(request, community)
    context = {
        "community": community,
        "handovers": handovers,
        "may_open": may_open,
    }
    return render(request, "property/handovers/list.html", context)


def _own_company_required(user, community) -> bool:
    """A company manager (not of the committee or the community staff) starts only handovers his company is in."""
    return not (can.is_committee(user, community) or can.is_community_staff(user, community))


@require_http_methods(["GET", "POST"])
def handover_new(request, community_id):
    community = community_or_404(community_id)
    user = request.user
    if not can.can_open_handover(user, community):
        message = _("Only the owners' committee, the community staff or a company manager may start a handover.")
        return _refuse(request, community, message)
    form = HandoverOpenForm(request.POST or None, community=community, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        companies = [data["outgoing_company"], data["incoming_company"]]
        if _own_company_required(user, community) and not any(
            company is not None and can.is_company_manager_of(user, company) for company in companies
        ):
            form.add_error(None, _("Your company must be the outgoing or the incoming party."))
        else:
            try:
                handover = services.handover_open(actor=user, community=community, **data)
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The handover is started with its checklist."))
                return _to_handover(handover)
    context = {"community": community, "form": form}
    return render(request, "property/handovers/new.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- the handover page


def _handover_or_404(pk):
    handover = selectors.handover_for_page(pk)
    if handover is None:
        raise Http404
    return handover


def _parties_for(user, handover, signed: set) -> list:
    return [
        (party, rules.PARTY_LABELS[party], capacity)
        for party in rules.SIGNING_PARTIES
        if party not in signed and (capacity := can.signing_capacity(user, handover, party))
    ]


def _page(request, handover, *, bound=None, status=200):
    """The handover page. ``bound``: {(kind, item_id or None): a bound form with errors} to show in place."""
    bound = bound or {}
    user = request.user
    is_open = handover.status == Handover.Status.OPEN
    may_edit = can.can_edit_handover(user, handover)
    items = list(handover.items.all())
    signatures = {signature.party: signature for signature in handover.signatures.all()}
    # The first signature freezes the checklist (every party signs the same one).
    checklist_open = is_open and not signatures
    may_ack = checklist_open and can.can_acknowledge_for_incoming(user, handover)
    cards = []
    for item in items:
        card = {
            "item": item,
            "problem": rules.item_problem(item.facts()) if is_open else None,
            "state_label": STATE_LABELS.get(item.state, item.state),
            "badge": STATE_BADGES.get(item.state, "badge-muted"),
        }
        if checklist_open and may_edit:
            card["check_form"] = bound.get(("check", item.pk)) or ItemCheckForm(
                prefix=f"item{item.pk}",
                initial={
                    "state": item.state if item.state != rules.PENDING else rules.PRESENT,
                    "promised_on": item.promised_on,
                    "note": item.note,
                },
            )
        if not is_open and may_edit and item.is_open:
            card["close_form"] = bound.get(("close", item.pk)) or ItemCloseForm(prefix=f"close{item.pk}")
        card["may_acknowledge"] = (
            may_ack and item.state in rules.OPEN_STATES and item.acknowledged_at is None and item.closed_at is None
        )
        cards.append(card)
    parties = _parties_for(user, handover, set(signatures)) if is_open else []
    sign_form = bound.get(("sign", None)) or (SignForm(parties=parties) if parties else None)
    panel = [
        {"party": party, "label": rules.PARTY_LABELS[party], "signature": signatures.get(party)}
        for party in rules.SIGNING_PARTIES
    ]
    may_file = not is_open and may_edit and handover.filed_on is None
    context = {
        "community": handover.community,
        "handover": handover,
        "kind_label": rules.HANDOVER_KIND_LABELS.get(handover.kind, handover.get_kind_display()),
        "cards": cards,
        "counts": {
            "total": len(items),
            "pending": sum(item.state == rules.PENDING for item in items),
            "open": sum(item.is_open for item in items),
        },
        "is_open": is_open,
        "status_label": STATUS_LABELS.get(handover.status, handover.status),
        "outgoing_kind_label": PARTY_KIND_LABELS.get(handover.outgoing_kind, handover.outgoing_kind),
        "incoming_kind_label": PARTY_KIND_LABELS.get(handover.incoming_kind, handover.incoming_kind),
        "may_edit": may_edit,
        "panel": panel,
        "sign_form": sign_form,
        "blockers": services.sign_blockers(handover) if sign_form is not None else [],
        "add_form": (bound.get(("add", None)) or ItemAddForm()) if checklist_open and may_edit else None,
        "checklist_frozen": is_open and bool(signatures),
        "file_form": (bound.get(("file", None)) or FileForm(initial={"filed_on": timezone.localdate()}))
        if may_file
        else None,
        "filing": selectors.filing_of(handover),
        "thumbnail": selectors.THUMBNAIL,
    }
    return render(request, "property/handovers/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def handover_detail(request, pk):
    handover = _handover_or_404(pk)
    if not can.can_read_handover(request.user, handover):
        return _refuse(request, handover.community)
    if request.method == "POST":
        # The only form posted here: add an item to the checklist.
        form = ItemAddForm(request.POST)
        if form.is_valid():
            try:
                services.handover_item_add(actor=request.user, handover=handover, label=form.cleaned_data["label"])
            except PermissionDenied as error:
                return _refuse(request, handover.community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The item is added to the checklist."))
                return _to_handover(handover, "checklist")
        return _page(request, handover, bound={("add", None): form}, status=400)
    return _page(request, handover)


@require_POST
def handover_item(request, pk):
    """Record what the inspection found (check), acknowledge for the incoming party, or close after sign-off."""
    item = get_object_or_404(HandoverItem.objects.select_related("handover"), pk=pk)
    handover = _handover_or_404(item.handover_id)
    item.handover = handover
    user = request.user
    if not can.can_read_handover(user, handover):
        return _refuse(request, handover.community)
    action = request.POST.get("action", "")
    anchor = f"item-{item.pk}"
    if action == "acknowledge":
        try:
            services.handover_item_acknowledge(actor=user, item=item)
        except PermissionDenied as error:
            return _refuse(request, handover.community, error_text(error))
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Acknowledged: %(item)s.") % {"item": item.label})
        return _to_handover(handover, anchor)
    if action not in ("check", "close"):
        return _to_handover(handover, anchor)
    if not can.can_edit_handover(user, handover):
        return _refuse(request, handover.community, _("You are not a party to this handover."))
    form_class, prefix = (ItemCheckForm, f"item{item.pk}") if action == "check" else (ItemCloseForm, f"close{item.pk}")
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        documents, images = [], []
        try:
            with transaction.atomic():
                documents, images = attachment_save(upload, user=user, title=f"{handover.community.title} {item.label}")
                if action == "check":
                    services.handover_item_check(actor=user, item=item, documents=documents, images=images, **data)
                else:
                    services.handover_item_close(actor=user, item=item, documents=documents, images=images, **data)
        except PermissionDenied as error:
            attachment_discard(documents, images)
            return _refuse(request, handover.community, error_text(error))
        except ValidationError as error:
            attachment_discard(documents, images)
            add_errors(form, error)
        else:
            done = _("Recorded: %(item)s.") if action == "check" else _("Closed: %(item)s.")
            messages.success(request, done % {"item": item.label})
            return _to_handover(handover, anchor)
    handover = _handover_or_404(handover.pk)  # the page shows the items as stored, the form as posted
    return _page(request, handover, bound={(action, item.pk): form}, status=400)


@require_POST
def handover_sign(request, pk):
    handover = _handover_or_404(pk)
    user = request.user
    if not can.can_read_handover(user, handover):
        return _refuse(request, handover.community)
    signed = {signature.party for signature in handover.signatures.all()}
    parties = _parties_for(user, handover, signed)
    if not parties:
        return _refuse(request, handover.community, _("You cannot sign this handover for any party."))
    form = SignForm(request.POST, request.FILES, parties=parties)
    if form.is_valid():
        data = form.cleaned_data
        scan = None
        try:
            with transaction.atomic():
                if data["scan"] is not None:
                    scan = evidence_document(
                        user=user,
                        title=f"{handover.community.title} {handover} {rules.PARTY_LABELS[data['party']]}签字页",
                        upload=data["scan"],
                    )
                services.handover_sign(
                    actor=user,
                    handover=handover,
                    party=data["party"],
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                    scan=scan,
                )
        except PermissionDenied as error:
            if scan is not None:
                scan.file.delete(save=False)
            return _refuse(request, handover.community, error_text(error))
        except ValidationError as error:
            if scan is not None:
                scan.file.delete(save=False)
            add_errors(form, error)
        else:
            messages.success(request, _("Signed for %(party)s.") % {"party": rules.PARTY_LABELS[data["party"]]})
            return _to_handover(handover, "signatures")
    return _page(request, handover, bound={("sign", None): form}, status=400)


@require_POST
def handover_file(request, pk):
    handover = _handover_or_404(pk)
    if not can.can_edit_handover(request.user, handover):
        return _refuse(request, handover.community, _("You are not a party to this handover."))
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            services.handover_file(actor=request.user, handover=handover, filed_on=form.cleaned_data["filed_on"])
        except PermissionDenied as error:
            return _refuse(request, handover.community, error_text(error))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The filing is recorded."))
            return _to_handover(handover)
    return _page(request, handover, bound={("file", None): form}, status=400)


# ---------------------------------------------------------------- 三供一业


@require_http_methods(["GET", "POST"])
def sgyy_handover(request, community_id):
    community = community_or_404(community_id)
    if not community.is_sgyy_compound:
        raise Http404
    user = request.user
    if not (roles_in(user, community) or is_bureau_staff(user)):
        return _refuse(request, community)
    may_record = can.is_community_staff(user, community) or is_bureau_staff(user)
    posted = request.POST.get("facility", "") if request.method == "POST" else ""
    if request.method == "POST":
        if not may_record:
            message = _("Only the community staff or the housing bureau record 三供一业 handovers.")
            return _refuse(request, community, message)
        if posted not in SgyyRetrofit.Facility.values:
            raise Http404
    page = selectors.sgyy_page(community)
    forms_by_facility = {}
    if may_record:
        for row in page.rows:
            record = row.record
            initial = (
                {
                    "handover_status": record.handover_status,
                    "receiving_unit": record.receiving_unit,
                    "metered_per_household": record.metered_per_household,
                    "agreement_on": record.agreement_on,
                    "transferred_on": record.transferred_on,
                    "order": record.order,
                }
                if record
                else {}
            )
            forms_by_facility[row.facility] = SgyyFacilityForm(
                request.POST if posted == row.facility else None,
                facility=row.facility,
                prefix=row.facility,
                initial=initial,
            )
    if posted:
        form = forms_by_facility[posted]
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.setdefault("metered_per_household", False)
            try:
                record = services.sgyy_facility_handover_record(
                    actor=user, community=community, facility=posted, **data
                )
            except PermissionDenied as error:
                return _refuse(request, community, error_text(error))
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded: %(facility)s.") % {"facility": record.get_facility_display()})
                return redirect(reverse("property:sgyy_handover", args=[community.pk]) + f"#facility-{posted}")
    for row in page.rows:
        row.form = forms_by_facility.get(row.facility)
        record = row.record
        row.retrofit_label = RETROFIT_LABELS.get(record.status) if record else None
        row.handover_label = SGYY_HANDOVER_LABELS.get(record.handover_status) if record else None
        row.order_label = ORDER_LABELS.get(record.order) if record else None
        for handover in row.handovers:
            handover.kind_label = rules.HANDOVER_KIND_LABELS.get(handover.kind, handover.kind)
            handover.status_label = STATUS_LABELS.get(handover.status, handover.status)
    context = {"community": community, "page_data": page, "may_record": may_record}
    return render(request, "property/handovers/sgyy.html", context, status=400 if posted else 200)


urlpatterns = [
    path("handovers/community/<int:community_id>/", handover_list, name="handover_list"),
    path("handovers/community/<int:community_id>/new/", handover_new, name="handover_new"),
    path("handovers/<int:pk>/", handover_detail, name="handover"),
    path("handovers/items/<int:pk>/", handover_item, name="handover_item"),
    path("handovers/<int:pk>/sign/", handover_sign, name="handover_sign"),
    path("handovers/<int:pk>/file/", handover_file, name="handover_file"),
    path("handovers/sgyy/<int:community_id>/", sgyy_handover, name="sgyy_handover"),
]
