"""The committee's records of an owners' vote: paper and assisted ballots (A-10), written proxies (V-22), the
ballot register (D-13), the evidence files and the Excel exports (D-12).

Views parse, ask governance.permissions, call a writer of governance.services.decisions and show its refusal in
Chinese; they change nothing themselves. Everything is scoped to the vote's community: a member of another
community gets the Chinese 403 page. Forms work without JavaScript (GET search, POST then redirect).
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from governance import permissions
from governance.forms_decision_records import ElectorSearchForm, PaperBallotForm, ProxyCheckForm, ProxyUploadForm
from governance.models import Ballot, Elector, ElectorUnit, OwnersDecision, Proxy
from governance.services import decision_exports as exports
from governance.services import decisions as svc

REGISTER_PER_PAGE = 50
SEARCH_LIMIT = 20
EVIDENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


# ---------------------------------------------------------------- helpers


def _decision(decision_id: int) -> OwnersDecision:
    return get_object_or_404(OwnersDecision.objects.select_related("community"), pk=decision_id)


def _login_first(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _other_community() -> PermissionDenied:
    return PermissionDenied(_("This vote belongs to another community."))


def _require_register(request, decision: OwnersDecision) -> None:
    """The ballot register, the scans and the proxies: the committee and the community staff (D-13)."""
    if not permissions.can_see_ballot_register(request.user, decision.community):
        if not permissions.can_read_community_records(request.user, decision.community):
            raise _other_community()
        raise PermissionDenied(_("Only the owners' committee and the community staff see the ballot register."))


def _detail_url(decision: OwnersDecision) -> str:
    return reverse("governance:decision_detail", args=[decision.pk])


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _add_errors(form, error: ValidationError) -> None:
    for message in _messages_of(error):
        form.add_error(None, message)


def _voted_ids(decision: OwnersDecision, electors) -> set[int]:
    return set(
        svc.current_ballots(decision).filter(elector__in=[e.pk for e in electors]).values_list("elector_id", flat=True)
    )


def _search(decision: OwnersDecision, query: str) -> list[dict]:
    """Electors whose units match the search, masked, with whether they have voted (two queries)."""
    if not query:
        return []
    # The label names at most three units (svc._label): an owner of more is also found by any unit's room.
    by_unit = ElectorUnit.objects.filter(elector=OuterRef("pk"), unit__room__icontains=query)
    electors = list(
        exports.register_electors(decision).filter(Q(label__icontains=query) | Exists(by_unit))[:SEARCH_LIMIT]
    )
    voted = _voted_ids(decision, electors)
    return [
        {"elector": e, "voter": exports.svc_masked_name(e), "voted": e.pk in voted, "no_voter": e.voter_id is None}
        for e in electors
    ]


def _chosen_elector(decision: OwnersDecision, raw) -> Elector | None:
    if not str(raw or "").isdigit():
        return None
    return exports.register_electors(decision).filter(pk=int(raw)).first()


# ---------------------------------------------------------------- paper and assisted ballots


@require_http_methods(["GET", "POST"])
def ballot_paper_entry(request, decision_id):
    """Find an owner of the frozen electorate by room, then enter his answers from the signed paper ballot (scan
    required) or with him in person (note required), optionally through his accepted proxy."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    _require_register(request, decision)
    is_open = decision.is_open_at(timezone.now())
    search = ElectorSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
    elector = _chosen_elector(decision, request.POST.get("elector") or request.GET.get("elector"))
    form = None
    already_voted = False
    if elector is not None and is_open:
        already_voted = bool(_voted_ids(decision, [elector]))
        proxies = Proxy.objects.filter(elector=elector, status=Proxy.Status.ACCEPTED)
        questions = decision.questions.all()
        if request.method == "POST":
            form = PaperBallotForm(request.POST, request.FILES, questions=questions, proxies=proxies)
            if form.is_valid():
                try:
                    svc.ballot_enter(
                        actor=request.user,
                        decision=decision,
                        elector=elector,
                        answers=form.answers(),
                        channel=form.cleaned_data["channel"],
                        scan=form.cleaned_data.get("scan"),
                        note=form.cleaned_data.get("note", ""),
                        proxy=form.cleaned_data.get("proxy"),
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("The ballot of %(owner)s has been entered and counts.") % {"owner": elector.label},
                    )
                    return redirect(reverse("governance:ballot_paper_entry", args=[decision.pk]))
        else:
            form = PaperBallotForm(questions=questions, proxies=proxies)
    elif request.method == "POST":
        messages.error(request, _("Voting has closed.") if not is_open else _("Choose the owner first."))
        return redirect(reverse("governance:ballot_paper_entry", args=[decision.pk]))
    context = {
        "decision": decision,
        "community": decision.community,
        "is_open": is_open,
        "search": search,
        "query": query,
        "results": _search(decision, query) if is_open else [],
        "elector": elector,
        "elector_voter": exports.svc_masked_name(elector) if elector else "",
        "already_voted": already_voted,
        "form": form,
        "detail_url": _detail_url(decision),
    }
    return render(
        request, "governance/decisions/paper_entry.html", context, status=400 if form and form.errors else 200
    )


# ---------------------------------------------------------------- written proxies (V-22)


def _proxy_user_for(form, community) -> object | None:
    """The proxy's portal account by its normalised mobile number. Online he votes only as a member of the
    community (svc.ballot_cast checks it), so an account from elsewhere is refused here already."""
    phone = form.cleaned_data.get("proxy_phone")
    if not phone:
        return None
    user = get_user_model().objects.filter(phone=phone, is_active=True).first()
    if user is None:
        form.add_error("proxy_phone", _("No portal account has this mobile number."))
    elif not permissions.can_read_community_records(user, community):
        form.add_error(
            "proxy_phone",
            _(
                "This account is not a verified resident of the community and could not vote online. Leave the "
                "number empty: the proxy then signs a paper ballot."
            ),
        )
    return user


@require_http_methods(["GET", "POST"])
def proxy_upload(request, decision_id):
    """The committee uploads a signed letter of proxy for an owner it finds by room; an owner of the electorate
    may upload one for his own row only (svc.proxy_upload checks again)."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    committee = permissions.can_see_ballot_register(request.user, decision.community)
    if committee:
        search = ElectorSearchForm(request.GET or None)
        query = search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
        elector = _chosen_elector(decision, request.POST.get("elector") or request.GET.get("elector"))
    else:
        if not permissions.can_read_community_records(request.user, decision.community):
            raise _other_community()
        search, query = None, ""
        elector = svc.own_elector(decision, request.user)  # V-19: the row he votes for
        if elector is None:
            raise PermissionDenied(_("Only an owner of this vote's electorate or the committee uploads a proxy."))
    form = ProxyUploadForm(request.POST or None, request.FILES or None) if elector is not None else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Choose the owner first."))
            return redirect(reverse("governance:proxy_upload", args=[decision.pk]))
        if form.is_valid():
            proxy_user = _proxy_user_for(form, decision.community)
            if not form.errors:
                try:
                    svc.proxy_upload(
                        actor=request.user,
                        decision=decision,
                        elector=elector,
                        proxy_name=form.cleaned_data["proxy_name"],
                        proxy_user=proxy_user,
                        document=form.cleaned_data["document"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(
                        request, _("The letter of proxy has been uploaded; it counts once the committee accepts it.")
                    )
                    target = "governance:proxy_queue" if committee else None
                    return redirect(reverse(target, args=[decision.pk]) if target else _detail_url(decision))
    context = {
        "decision": decision,
        "community": decision.community,
        "committee": committee,
        "accepting": decision.status == OwnersDecision.Status.ANNOUNCED,
        "search": search,
        "query": query,
        "results": _search(decision, query) if committee else [],
        "elector": elector,
        "elector_voter": exports.svc_masked_name(elector) if elector else "",
        "form": form,
        "detail_url": _detail_url(decision),
    }
    return render(
        request, "governance/decisions/proxy_upload.html", context, status=400 if form and form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def proxy_queue(request, decision_id):
    """Every letter of proxy of the vote with its status; the committee accepts or rejects (with a reason)."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    _require_register(request, decision)
    check_form, check_proxy = None, None
    if request.method == "POST":
        check_form = ProxyCheckForm(request.POST)
        if check_form.is_valid():
            check_proxy = get_object_or_404(Proxy, pk=check_form.cleaned_data["proxy"], decision=decision)
            try:
                svc.proxy_check(
                    actor=request.user,
                    proxy=check_proxy,
                    accept=check_form.cleaned_data["verdict"] == "accept",
                    note=check_form.cleaned_data.get("note", ""),
                )
            except ValidationError as error:
                _add_errors(check_form, error)
            else:
                messages.success(request, _("The check of the proxy has been recorded."))
                return redirect(reverse("governance:proxy_queue", args=[decision.pk]))
    proxies = (
        Proxy.objects.filter(decision=decision)
        .select_related("elector", "proxy_user", "uploaded_by", "checked_by")
        .annotate(elector_voted=Exists(Ballot.objects.filter(elector=OuterRef("elector"))))
        .order_by("status", "-uploaded_at", "-id")
    )
    context = {
        "decision": decision,
        "community": decision.community,
        "proxies": proxies,
        "check_form": check_form,
        "check_proxy_id": check_proxy.pk if check_proxy else None,
        "detail_url": _detail_url(decision),
        "accepting": decision.status == OwnersDecision.Status.ANNOUNCED,
    }
    status = 400 if check_form is not None and check_form.errors else 200
    return render(request, "governance/decisions/proxy_queue.html", context, status=status)


# ---------------------------------------------------------------- the ballot register (D-13)


@require_GET
def ballot_register(request, decision_id):
    """Every owner of the electorate with whether and how he took part; the choices only on an open ballot."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    _require_register(request, decision)
    questions = list(decision.questions.all())
    page_obj = Paginator(exports.register_electors(decision), REGISTER_PER_PAGE).get_page(request.GET.get("page"))
    rows = exports.register_rows(decision, page_obj.object_list, questions)
    context = {
        "decision": decision,
        "community": decision.community,
        "questions": questions,
        "rows": rows,
        "page_obj": page_obj,
        "turnout": svc.turnout_of(decision) if decision.total_owners else None,
        "detail_url": _detail_url(decision),
        "counted": exports.is_counted(decision),
    }
    return render(request, "governance/decisions/register.html", context)


# ---------------------------------------------------------------- evidence files


@require_GET
def decision_evidence(request, token):
    """A ballot scan or a letter of proxy, for the committee and the community staff of the vote's community
    only (never a public /media/ link). On a secret ballot the scan shows the choice, so it is not served."""
    if refusal := _login_first(request):
        return refusal
    proxy = Proxy.objects.select_related("decision__community").filter(token=token).first()
    if proxy is not None:
        decision, file = proxy.decision, proxy.document
    else:
        ballot = (
            Ballot.objects.select_related("decision__community").filter(token=token).exclude(scan="").first()
            if token
            else None
        )
        if ballot is None:
            raise Http404
        decision, file = ballot.decision, ballot.scan
        if decision.is_secret:
            _require_register(request, decision)
            raise PermissionDenied(
                _("A secret ballot's signed paper is kept as evidence and shown only on a formal inspection request.")
            )
    _require_register(request, decision)
    suffix = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    content_type = EVIDENCE_TYPES.get(suffix, "application/octet-stream")
    inline = content_type.startswith("image/")
    response = FileResponse(
        file.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=f"{'proxy' if proxy else 'ballot'}-{decision.pk}-{token[:8]}.{suffix or 'bin'}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- Excel exports (D-12)


def _xlsx_response(data: bytes, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def decision_results_xlsx(request, decision_id):
    """The counted result, for the members of the vote's community; logged."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    if not permissions.can_read_community_records(request.user, decision.community):
        raise _other_community()
    if not exports.is_counted(decision):
        raise Http404
    data = exports.results_export(actor=request.user, decision=decision)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return _xlsx_response(data, f"{decision.title}-表决结果-{stamp}.xlsx", f"vote-{decision.pk}-results-{stamp}.xlsx")


@require_GET
def decision_register_xlsx(request, decision_id):
    """The ballot register, for the committee and the community staff only; logged."""
    if refusal := _login_first(request):
        return refusal
    decision = _decision(decision_id)
    _require_register(request, decision)
    data = exports.register_export(actor=request.user, decision=decision)
    stamp = timezone.localtime().strftime("%Y%m%d")
    return _xlsx_response(
        data, f"{decision.title}-表决登记册-{stamp}.xlsx", f"vote-{decision.pk}-register-{stamp}.xlsx"
    )


urlpatterns = [
    path("votes/<int:decision_id>/paper/", ballot_paper_entry, name="ballot_paper_entry"),
    path("votes/<int:decision_id>/proxies/", proxy_queue, name="proxy_queue"),
    path("votes/<int:decision_id>/proxies/new/", proxy_upload, name="proxy_upload"),
    path("votes/<int:decision_id>/register/", ballot_register, name="ballot_register"),
    path("votes/<int:decision_id>/results.xlsx", decision_results_xlsx, name="decision_results_xlsx"),
    path("votes/<int:decision_id>/register.xlsx", decision_register_xlsx, name="decision_register_xlsx"),
    path("decisions/evidence/<str:token>/", decision_evidence, name="decision_evidence"),
]
