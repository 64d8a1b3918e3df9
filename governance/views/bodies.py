"""Bodies of a community: the public body page's context and the members page where the community staff seat
and unseat members (C-01, C-02, C-10, C-15). Scoped: staff of another community get 403."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance.models import BodyPage, MeetingPage, Membership
from governance.permissions import can_manage_bodies, can_see_party_members, community_of
from governance.services import bodies as services
from home.models import CommunityPage, Person

SEARCH_LIMIT = 20


def members_visible(user, body: BodyPage, community) -> bool:
    """Holders of public office are named on the body's page; Party membership is restricted (G-03)."""
    return body.kind != BodyPage.Kind.PARTY_BRANCH or can_see_party_members(user, community)


def body_page_context(body: BodyPage, user) -> dict:
    community = community_of(body)
    today = timezone.localdate()
    now = timezone.now()
    members = services.seated(body)
    meetings = list(MeetingPage.objects.child_of(body).live().order_by("starts_at"))
    context = {
        "community": community,
        "members": members if members_visible(user, body, community) else None,
        "status": services.body_status(body, len(members), today),
        "upcoming_meetings": [m for m in meetings if m.starts_at >= now],
        "past_meetings": [m for m in reversed(meetings) if m.starts_at < now],
    }
    if can_manage_bodies(user, community):
        context["manage_url"] = reverse("governance:body_members", args=[community.pk, body.pk])
    return context


class MembershipAddForm(forms.Form):
    person = forms.TypedChoiceField(
        label=gettext_lazy("Person"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the person to seat."),
            "invalid_choice": gettext_lazy("Choose a person from the search results."),
        },
    )
    position = forms.ChoiceField(label=gettext_lazy("Position"), choices=Membership.Position.choices)
    term_start = forms.DateField(
        label=gettext_lazy("Term starts"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for the body's current term."),
    )
    term_end = forms.DateField(
        label=gettext_lazy("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("At most five years after the start (C-02). Leave empty for the body's current term."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.choice_label) for p in candidates]

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class MembershipEndForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why it ends"), choices=Membership.EndReason.choices)
    on = forms.DateField(label=gettext_lazy("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)


class BodyCreateForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of body"), choices=BodyPage.Kind.choices)
    title = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Leave empty to use the kind of body as its name."),
    )
    seat_count = forms.IntegerField(
        label=gettext_lazy("Number of seats"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=gettext_lazy("Owners' committee: 5 to 11, odd (C-01). Interim committee: 7 or more, odd (C-15)."),
    )
    term_start = forms.DateField(
        label=gettext_lazy("Term starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=gettext_lazy("Term ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("At most five years after the start (C-02)."),
    )

    add_service_error = MembershipAddForm.add_service_error


def _community_scoped(request, community_id) -> CommunityPage:
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not can_manage_bodies(request.user, community):
        raise PermissionDenied
    return community


@login_required
def community_bodies_manage(request, community_id):
    """The community's bodies, with links to their members, and a form to set up a missing one."""
    community = _community_scoped(request, community_id)
    form = BodyCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(body)s has been set up.") % {"body": body.title})
            return redirect(reverse("governance:body_members", args=[community.pk, body.pk]))
    context = {"community": community, "bodies": services.community_bodies(community), "form": form}
    return render(request, "governance/bodies/manage.html", context, status=400 if form.errors else 200)


def _scoped(request, community_id, body_id) -> tuple[CommunityPage, BodyPage]:
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not can_manage_bodies(request.user, community):
        raise PermissionDenied
    body = get_object_or_404(BodyPage.objects.child_of(community), pk=body_id)
    body._community_cache = community
    return community, body


def candidates_for(community: CommunityPage, body: BodyPage, query: str = "", ids=None) -> list[Person]:
    """People of the community's register matching a name or a room: owners, and for bodies that need not be
    owners (C-15) residents too. Each carries a `choice_label` with the room."""
    owners_only = body.kind == BodyPage.Kind.OWNERS_COMMITTEE
    in_community = Q(ownerships__ended_on__isnull=True, ownerships__unit__entrance__building__community=community) & ~Q(
        ownerships__owner_status="developer_retained"
    )
    if not owners_only:
        in_community |= Q(
            residencies__ended_on__isnull=True, residencies__unit__entrance__building__community=community
        )
    seated = Membership.objects.filter(body=body, ended_on__isnull=True).values("person_id")
    people = Person.objects.filter(in_community, is_developer=False).exclude(pk__in=seated)
    if ids is not None:
        people = people.filter(pk__in=ids)
    query = query.strip()
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(ownerships__unit__room__icontains=query))
    people = list(
        people.distinct()
        .order_by("full_name", "pk")
        .prefetch_related("ownerships__unit__entrance__building")[:SEARCH_LIMIT]
    )
    for person in people:
        rooms = [
            o.unit.label
            for o in person.ownerships.all()
            if o.ended_on is None and o.unit.entrance.building.community_id == community.pk
        ]
        person.choice_label = f"{person.full_name}（{'、'.join(rooms)}）" if rooms else person.full_name
    return people


def _members_page(request, community, body, *, form=None, end_errors=None, status=200):
    query = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    candidates = candidates_for(community, body, query)
    form = form or MembershipAddForm(candidates=candidates, initial={"position": Membership.Position.MEMBER})
    members = services.seated(body)
    for membership in members:
        membership.end_form = MembershipEndForm(
            prefix=f"end{membership.pk}", initial={"on": timezone.localdate(), "reason": "resigned"}
        )
        membership.end_errors = (end_errors or {}).get(membership.pk, [])
    ended = list(
        Membership.objects.filter(body=body, ended_on__isnull=False).select_related("person").order_by("-ended_on")[:20]
    )
    context = {
        "community": community,
        "body": body,
        "members": members,
        "ended": ended,
        "status": services.body_status(body, len(members), timezone.localdate()),
        "form": form,
        "query": query,
        "candidates": candidates,
    }
    return render(request, "governance/bodies/members.html", context, status=status)


@login_required
def body_members(request, community_id, body_id):
    community, body = _scoped(request, community_id, body_id)
    if request.method != "POST":
        return _members_page(request, community, body)
    # The chosen person must be a candidate of this community, whichever search found them.
    chosen = request.POST.get("person", "")
    candidates = candidates_for(community, body, ids=[int(chosen)]) if chosen.isdigit() else []
    form = MembershipAddForm(request.POST, candidates=candidates)
    if form.is_valid():
        person = Person.objects.get(pk=form.cleaned_data["person"])
        try:
            services.membership_add(
                actor=request.user,
                body=body,
                person=person,
                position=form.cleaned_data["position"],
                term_start=form.cleaned_data["term_start"],
                term_end=form.cleaned_data["term_end"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("%(name)s now holds a seat on %(body)s.") % {"name": person.full_name, "body": body.title}
            )
            return redirect(reverse("governance:body_members", args=[community.pk, body.pk]))
    return _members_page(request, community, body, form=form, status=400)


@login_required
@require_POST
def membership_end(request, community_id, body_id, pk):
    community, body = _scoped(request, community_id, body_id)
    membership = get_object_or_404(Membership, pk=pk, body=body)
    form = MembershipEndForm(request.POST, prefix=f"end{membership.pk}")
    errors = []
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user,
                membership=membership,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The seat of %(name)s on %(body)s has ended.")
                % {"name": membership.person.full_name, "body": body.title},
            )
            return redirect(reverse("governance:body_members", args=[community.pk, body.pk]))
    else:
        errors = [message for field_errors in form.errors.values() for message in field_errors]
    return _members_page(request, community, body, end_errors={membership.pk: errors}, status=400)


urlpatterns = [
    path("community/<int:community_id>/bodies/", community_bodies_manage, name="community_bodies_manage"),
    path("community/<int:community_id>/bodies/<int:body_id>/members/", body_members, name="body_members"),
    path(
        "community/<int:community_id>/bodies/<int:body_id>/members/<int:pk>/end/",
        membership_end,
        name="body_membership_end",
    ),
]
