"""Repair requests and service quality (issue 9): my requests, filing one with photos, the request page with its
timeline and the steps each person may take, the company's queue for one community, and the committee's oversight
(overdue requests and the figures per company).

Views parse, ask property.management_permissions, call a writer of property.services.management and show its
refusal (ValidationError on the form, PermissionDenied as the Chinese 403 page); they change nothing themselves.
Every form works without JavaScript (POST, then redirect).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.domain.masking import mask_name
from home.models import CommunityPage, CommunityRole, Unit
from home.permissions import _roles_cache, is_bureau_staff
from property import management_permissions as can
from property import repair_selectors as selectors
from property.domain import management as rules
from property.forms_repairs import ACTION_FORMS, RepairForm, repair_image
from property.models import CompanyStaff, PropertyCompany, RepairPhoto, RepairRequest
from property.permissions import household_unit_ids
from property.services import management as services
from property.views.common import add_errors, community_or_404, error_text, refuse

Role = CommunityRole.Role
FORBIDDEN_TEMPLATE = "property/repairs/forbidden.html"
LIST_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 30


def _refuse(request, community=None, message=""):
    return refuse(request, community, message, template=FORBIDDEN_TEMPLATE)


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _mark_overdue(requests, now):
    for item in requests:
        item.overdue_now = item.status in rules.REPAIR_OPEN and item.due_at < now
        item.late = item.is_overdue(now)
    return requests


def _status_badge(status: str) -> str:
    if status in (rules.CLOSED,):
        return "badge-success"
    if status == rules.DONE:
        return "badge-warning"
    if status == rules.CANCELLED:
        return "badge-muted"
    return ""


# ---------------------------------------------------------------- my requests


@login_required
def repair_list(request):
    user = request.user
    now = timezone.now()
    page = _page(request, selectors.my_requests(user), LIST_PAGE_SIZE)
    for item in _mark_overdue(page.object_list, now):
        item.badge = _status_badge(item.status)
    roles = _roles_cache(user)
    resident_ids = [pk for pk, held in roles.items() if held & {Role.RESIDENT, Role.OWNER}]
    staff_ids = [pk for pk, held in roles.items() if Role.PROPERTY_STAFF in held]
    oversight_ids = [pk for pk, held in roles.items() if held & {Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF}]
    wanted = set(resident_ids) | set(staff_ids) | set(oversight_ids)
    communities = {c.pk: c for c in CommunityPage.objects.live().filter(pk__in=wanted).order_by("title")}
    context = {
        "page_obj": page,
        "requests": page.object_list,
        "file_in": [c for c in communities.values() if c.pk in resident_ids],
        "queues": [c for c in communities.values() if c.pk in staff_ids],
        "oversee": [c for c in communities.values() if c.pk in oversight_ids],
    }
    return render(request, "property/repairs/list.html", context)


# ---------------------------------------------------------------- filing


def _serving_company(community):
    company_id = can.serving_company_id(community)
    return PropertyCompany.objects.filter(pk=company_id).first() if company_id else None


@require_http_methods(["GET", "POST"])
def repair_new(request, community_id):
    community = community_or_404(community_id)
    if not can.can_file_repair(request.user, community):
        return _refuse(request, community, _("Only verified residents of this community can report a repair."))
    units = list(
        Unit.objects.filter(pk__in=household_unit_ids(request.user, community))
        .select_related("entrance__building")
        .order_by("pk")
    )
    initial = {"urgency": RepairRequest.Urgency.NORMAL}
    if len(units) == 1:
        initial["unit"] = units[0].pk
    form = RepairForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next((u for u in units if u.pk == data["unit"]), None)
        if data["where"] == RepairRequest.Where.OWN_UNIT and data["unit"] and unit is None:
            # Not one of the user's homes: the writer refuses it with its own words.
            unit = Unit.objects.filter(pk=data["unit"]).first()
        saved = []
        try:
            with transaction.atomic():
                for number, upload in enumerate(form.photos(), start=1):
                    saved.append(
                        repair_image(
                            upload, title=f"{community.title} 报修 {data['location']} {number}", user=request.user
                        )
                    )
                repair = services.repair_file(
                    actor=request.user,
                    community=community,
                    where=data["where"],
                    unit=unit,
                    location=data["location"],
                    category=data["category"],
                    urgency=data["urgency"],
                    description=data["description"],
                    images=saved,
                )
        except (PermissionDenied, ValidationError) as error:
            for image in saved:
                image.file.delete(save=False)  # the rows went with the transaction; the files would stay
            if isinstance(error, PermissionDenied):
                return _refuse(request, community, error_text(error))
            add_errors(form, error)
        else:
            messages.success(request, _("Your repair request has been sent to the property service."))
            return redirect(reverse("property:repair", args=[repair.pk]))
    context = {
        "community": community,
        "form": form,
        "company": _serving_company(community),
        "hours": rules.RESPONSE_HOURS,
    }
    return render(request, "property/repairs/new.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- one request


def _request_or_404(pk) -> RepairRequest:
    return get_object_or_404(
        RepairRequest.objects.select_related(
            "community", "company", "filed_by", "assigned_to", "unit__entrance__building"
        ),
        pk=pk,
    )


def _handlers(community):
    """The users holding the community's property-staff role, with their company titles: the assign choices."""
    users = list(
        get_user_model()
        .objects.filter(groups__community_role__community=community, groups__community_role__role=Role.PROPERTY_STAFF)
        .order_by("pk")
        .distinct()
    )
    titles = dict(
        CompanyStaff.objects.filter(user__in=users, active=True).values_list("user_id", "title").order_by("-id")
    )
    return [
        (user.pk, f"{user.full_name or user.get_username()}（{titles.get(user.pk) or _('property staff')}）")
        for user in users
    ]


def _who(actor, repair, viewer, posts, *, full):
    """How an actor of the timeline is shown to the viewer: the filer by (masked) name; company staff by company
    and title (never a phone); the full name only to the company's staff and the committee."""
    name = actor.full_name or actor.get_username()
    if actor.pk == viewer.pk:
        return _("you")
    post = posts.get(actor.pk)
    if post is not None:
        label = f"{post.company.name} {post.title or _('property staff')}"
        return f"{label} {name}" if full else label
    if actor.pk == repair.filed_by_id:
        return _("the resident who reported it (%(name)s)") % {"name": name if full else mask_name(name)}
    return name if full else mask_name(name)


def _available_actions(user, repair) -> list[str]:
    handler = can.can_handle_repairs(user, repair.community)
    is_filer = repair.filed_by_id == user.pk
    actor_kind = rules.COMPANY if handler else ""
    return [
        action
        for action in rules.REPAIR_ACTIONS
        if rules.repair_action_problem(action, status=repair.status, actor_kind=actor_kind, is_filer=is_filer) is None
    ]


def _action_form(action, repair, data=None, files=None):
    form_class = ACTION_FORMS[action]
    kwargs = {"prefix": action}
    if action == "assign":
        kwargs["staff"] = _handlers(repair.community)
        if repair.assigned_to_id:
            kwargs["initial"] = {"assignee": repair.assigned_to_id}
    return form_class(data, files, **kwargs)


@require_http_methods(["GET", "POST"])
def repair_detail(request, pk):
    repair = _request_or_404(pk)
    community = repair.community
    user = request.user
    if not user.is_authenticated or not can.can_read_repair(user, repair):
        return _refuse(request, community)
    status = 200
    failed = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTION_FORMS:
            return _refuse(request, community, _("There is no such step."))
        form = _action_form(action, repair, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            image = None
            try:
                with transaction.atomic():
                    if data.get("photo"):
                        image = repair_image(
                            data["photo"], title=f"{community.title} 报修 {repair.location} 修后", user=user
                        )
                    assignee = None
                    if action == "assign":
                        assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
                    services.repair_act(
                        actor=user,
                        request=repair,
                        action=action,
                        note=data.get("note", ""),
                        assignee=assignee,
                        rating=data.get("rating"),
                        images=[image] if image else [],
                    )
            except (PermissionDenied, ValidationError) as error:
                if image is not None:
                    image.file.delete(save=False)
                if isinstance(error, PermissionDenied):
                    return _refuse(request, community, error_text(error))
                add_errors(form, error)
            else:
                messages.success(request, _("Recorded: %(step)s.") % {"step": rules.ACTION_LABELS[action]})
                return redirect(reverse("property:repair", args=[repair.pk]))
        failed = (action, form)
        status = 400
    now = timezone.now()
    actions = _available_actions(user, repair)
    forms_by_action = {}
    for action in actions:
        forms_by_action[action] = failed[1] if failed and failed[0] == action else _action_form(action, repair)
    events = list(repair.events.select_related("actor").order_by("at", "id"))
    actor_ids = {event.actor_id for event in events} | ({repair.assigned_to_id} if repair.assigned_to_id else set())
    posts = {}
    if repair.company_id:
        for post in CompanyStaff.objects.filter(user_id__in=actor_ids).select_related("company").order_by("id"):
            posts[post.user_id] = post
    full = can.can_handle_repairs(user, community) or can.can_oversee_repairs(user, community)
    for event in events:
        event.who = _who(event.actor, repair, user, posts, full=full)
        event.label = rules.ACTION_LABELS.get(event.action, _("reported"))
        event.status_label = RepairRequest.Status(event.to_status).label if event.to_status else ""
    photos = list(repair.photos.select_related("image").order_by("id"))
    assignee = _who(repair.assigned_to, repair, user, posts, full=full) if repair.assigned_to_id else ""
    context = {
        "repair": repair,
        "community": community,
        "events": events,
        "reported_photos": [p for p in photos if p.stage == RepairPhoto.Stage.REPORTED],
        "repaired_photos": [p for p in photos if p.stage == RepairPhoto.Stage.REPAIRED],
        "assignee": assignee,
        "filer": repair.filed_by.full_name
        if (full or repair.filed_by_id == user.pk)
        else mask_name(repair.filed_by.full_name),
        "overdue_now": repair.status in rules.REPAIR_OPEN and repair.due_at < now,
        "late": repair.is_overdue(now),
        "badge": _status_badge(repair.status),
        "stray_errors": failed[1].non_field_errors() if failed and failed[0] not in actions else [],
        "action_forms": [(action, rules.ACTION_LABELS[action], forms_by_action[action]) for action in actions],
        "is_handler": can.can_handle_repairs(user, community),
        "can_oversee": can.can_oversee_repairs(user, community),
    }
    return render(request, "property/repairs/detail.html", context, status=status)


# ---------------------------------------------------------------- the company's queue


def repair_queue(request, community_id):
    community = community_or_404(community_id)
    if not can.can_handle_repairs(request.user, community):
        return _refuse(request, community, _("The repair queue is for the property service of this community."))
    status = request.GET.get("status", selectors.OPEN)
    if status not in selectors.STATUS_FILTERS:
        status = selectors.OPEN
    overdue_only = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    now = timezone.now()
    requests = selectors.queue(
        community, status=status, overdue_only=overdue_only, assigned_to=request.user if mine else None, now=now
    )
    page = _page(request, requests, QUEUE_PAGE_SIZE)
    for item in _mark_overdue(page.object_list, now):
        item.badge = _status_badge(item.status)
    counts = selectors.queue_counts(community, now=now)
    filters = [
        (selectors.OPEN, _("still open"), counts["open"]),
        (selectors.WAITING, _("waiting for the resident"), counts["waiting"]),
        (selectors.CLOSED, _("closed"), counts["closed"]),
        (selectors.ALL, _("all"), counts["all"]),
    ]
    context = {
        "community": community,
        "page_obj": page,
        "requests": page.object_list,
        "filters": filters,
        "status": status,
        "overdue_only": overdue_only,
        "mine": mine,
        "counts": counts,
    }
    return render(request, "property/repairs/queue.html", context)


# ---------------------------------------------------------------- oversight


def repair_oversight(request, community_id):
    community = community_or_404(community_id)
    if not can.can_oversee_repairs(request.user, community):
        return _refuse(request, community, _("Repair oversight is for the owners' committee and the community staff."))
    now = timezone.now()
    overdue = list(selectors.overdue_open(community, now=now)[:100])
    company_ids = selectors.companies_serving(community)
    overall = selectors.company_quality(company_ids, community=community, now=now)
    recent = selectors.company_quality(
        company_ids, community=community, since=selectors.twelve_months_ago(now), now=now
    )
    for item in overdue:
        item.hours_late = int((now - item.due_at).total_seconds() // 3600)
    context = {
        "community": community,
        "overdue": overdue,
        "overall": overall,
        "recent": recent,
        "counts": selectors.queue_counts(community, now=now),
        "is_bureau": is_bureau_staff(request.user),
    }
    return render(request, "property/repairs/oversight.html", context)


urlpatterns = [
    path("repairs/", repair_list, name="repair_list"),
    path("repairs/new/<int:community_id>/", repair_new, name="repair_new"),
    path("repairs/<int:pk>/", repair_detail, name="repair"),
    path("repairs/queue/<int:community_id>/", repair_queue, name="repair_queue"),
    path("repairs/oversight/<int:community_id>/", repair_oversight, name="repair_oversight"),
]
