"""Meeting pages' actions: notice, attendance, minutes and signatures, resolutions, print view, iCal feed.

Every view loads the meeting, finds its community (governance.permissions.community_of) and asks the
permission predicates; the services ask again before they write.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from governance import permissions
from governance.models import AgendaItem, Attendance, BodyPage, MeetingPage, MinutesSignature
from governance.services import meetings as svc


def _meeting(meeting_id: int) -> MeetingPage:
    meeting = get_object_or_404(MeetingPage.objects.live(), pk=meeting_id)
    if permissions.community_of(meeting) is None:
        raise PermissionDenied
    return meeting


def _managed_meeting(request, meeting_id: int) -> MeetingPage:
    meeting = _meeting(meeting_id)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _errors_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(meeting):
    return redirect(meeting.url or "/")


@login_required
@require_POST
def notice_publish(request, meeting_id):
    meeting = _managed_meeting(request, meeting_id)
    try:
        svc.meeting_notice_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        messages.success(request, _("The notice is published; the agenda is now locked (A-09)."))
    return _back(meeting)


@login_required
def attendance(request, meeting_id):
    meeting = _managed_meeting(request, meeting_id)
    body = svc.body_of(meeting)
    memberships = list(svc.current_memberships(body, svc.meeting_date(meeting)))
    recorded = {a.membership_id: a for a in meeting.attendances.all()}
    if request.method == "POST":
        try:
            for membership in memberships:
                status = request.POST.get(f"status-{membership.pk}", "")
                if status:
                    svc.attendance_record(actor=request.user, meeting=meeting, membership=membership, status=status)
        except ValidationError as error:
            messages.error(request, _errors_of(error))
        else:
            messages.success(request, _("Attendance saved."))
            return _back(meeting)
    rows = [{"membership": m, "status": recorded[m.pk].status if m.pk in recorded else ""} for m in memberships]
    return render(
        request,
        "governance/meetings/attendance.html",
        {"meeting": meeting, "body": body, "rows": rows, "statuses": Attendance.Status.choices},
    )


class MinutesForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text of the minutes"), widget=forms.Textarea(attrs={"rows": 14}))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Shown publicly with the corrected minutes."),
    )


@login_required
def minutes_edit(request, meeting_id):
    """Draft the minutes, or after publication record a correction with its reason (A-12)."""
    meeting = _managed_meeting(request, meeting_id)
    minutes = svc.minutes_of(meeting)
    correcting = minutes is not None and minutes.status == minutes.Status.PUBLISHED
    latest = svc.latest_revision(minutes) if minutes else None
    form = MinutesForm(request.POST or None, initial={"text": latest.body if latest else ""})
    if correcting:
        form.fields["reason"].required = True
    else:
        del form.fields["reason"]
    if request.method == "POST" and form.is_valid():
        try:
            if correcting:
                svc.minutes_correct(
                    actor=request.user,
                    minutes=minutes,
                    text=form.cleaned_data["text"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                svc.minutes_draft(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return _back(meeting)
    return render(
        request,
        "governance/meetings/minutes_form.html",
        {"meeting": meeting, "form": form, "correcting": correcting, "minutes": minutes},
    )


def _minutes_step(request, meeting_id, step, done_message):
    """Run one manager's step on a meeting's minutes (submit, publish) and come back with its outcome."""
    meeting = _managed_meeting(request, meeting_id)
    minutes = svc.minutes_of(meeting)
    if minutes is None:
        messages.error(request, _("Write the minutes first."))
        return _back(meeting)
    try:
        step(actor=request.user, minutes=minutes)
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        messages.success(request, done_message)
    return _back(meeting)


@login_required
@require_POST
def minutes_submit(request, meeting_id):
    return _minutes_step(
        request, meeting_id, svc.minutes_submit, _("The attending members have been asked to sign the minutes.")
    )


@login_required
@require_POST
def minutes_sign(request, meeting_id):
    meeting = _meeting(meeting_id)
    minutes = svc.minutes_of(meeting)
    if minutes is None:
        raise PermissionDenied
    decision = request.POST.get("decision", "")
    try:
        svc.minutes_sign(user=request.user, minutes=minutes, decision=decision, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, _errors_of(error))
    else:
        if decision == MinutesSignature.Decision.CONFIRMED:
            messages.success(request, _("You have signed the minutes."))
        else:
            messages.success(request, _("Your refusal and its reason are recorded with the minutes."))
    return _back(meeting)


@login_required
@require_POST
def minutes_publish(request, meeting_id):
    return _minutes_step(request, meeting_id, svc.minutes_publish, _("The minutes are published."))


class ResolutionForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    text = forms.CharField(label=gettext_lazy("Resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    votes_for = forms.IntegerField(label=gettext_lazy("For"), min_value=0)
    votes_against = forms.IntegerField(label=gettext_lazy("Against"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=gettext_lazy("Abstained"), min_value=0, initial=0)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


@login_required
def resolution_add(request, meeting_id):
    meeting = _managed_meeting(request, meeting_id)
    form = ResolutionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            svc.resolution_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("votes_for", error)
        else:
            messages.success(request, _("The resolution is recorded."))
            return _back(meeting)
    body = svc.body_of(meeting)
    return render(
        request,
        "governance/meetings/resolution_form.html",
        {
            "meeting": meeting,
            "form": form,
            "present": svc.present_count(meeting),
            "seats": svc.seat_count_of(body, svc.meeting_date(meeting)),
        },
    )


@login_required
def minutes_print(request, meeting_id):
    meeting = _meeting(meeting_id)
    if not permissions.can_read_meeting_records(request.user, meeting):
        raise PermissionDenied
    detail = svc.meeting_detail(meeting, request.user)
    if detail["minutes"] is None or (not detail["minutes_published"] and not detail["can_manage"]):
        raise PermissionDenied
    return render(request, "governance/meetings/print.html", {"meeting": meeting, **detail})


class MeetingScheduleForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=gettext_lazy("Online meeting link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One item per line. After the notice is published the agenda is locked (A-09)."),
    )

    def agenda_items(self) -> tuple[str, ...]:
        return tuple(line.strip()[:200] for line in self.cleaned_data["agenda"].splitlines() if line.strip())


@login_required
def meeting_schedule(request, body_id):
    """Schedule a meeting from the portal, so a secretary need not open the page editor."""
    body = get_object_or_404(BodyPage.objects.live(), pk=body_id)
    if not permissions.can_manage_body_meetings(request.user, body):
        raise PermissionDenied
    form = MeetingScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at = form.cleaned_data["starts_at"]
        slug = _free_slug(body, f"meeting-{timezone.localtime(starts_at):%Y%m%d-%H%M}")
        try:
            meeting = svc.meeting_schedule(
                actor=request.user,
                body=body,
                title=form.cleaned_data["title"],
                slug=slug,
                starts_at=starts_at,
                place=form.cleaned_data["place"],
                online_link=form.cleaned_data["online_link"],
                agenda=form.agenda_items(),
                recorder=request.user,
            )
        except ValidationError as error:
            form.add_error("starts_at", error)
        else:
            messages.success(request, _("The meeting is scheduled. Publish its notice from the meeting page."))
            return _back(meeting)
    return render(request, "governance/meetings/schedule.html", {"body": body, "form": form})


def _free_slug(body, slug: str) -> str:
    taken = set(MeetingPage.objects.child_of(body).filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def body_calendar(request, body_id):
    """iCal feed of a body's upcoming meetings (public: time and place are announced anyway)."""
    body = get_object_or_404(BodyPage.objects.live(), pk=body_id)
    meetings = MeetingPage.objects.child_of(body).live().filter(starts_at__gte=timezone.now()).order_by("starts_at")
    response = HttpResponse(
        svc.calendar_of(body, meetings, host=request.get_host(), now=timezone.now()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="body-{body.pk}.ics"'
    return response


urlpatterns = [
    path("meetings/<int:meeting_id>/notice/", notice_publish, name="meeting_notice_publish"),
    path("meetings/<int:meeting_id>/attendance/", attendance, name="meeting_attendance"),
    path("meetings/<int:meeting_id>/minutes/", minutes_edit, name="minutes_edit"),
    path("meetings/<int:meeting_id>/minutes/submit/", minutes_submit, name="minutes_submit"),
    path("meetings/<int:meeting_id>/minutes/sign/", minutes_sign, name="minutes_sign"),
    path("meetings/<int:meeting_id>/minutes/publish/", minutes_publish, name="minutes_publish"),
    path("meetings/<int:meeting_id>/minutes/print/", minutes_print, name="minutes_print"),
    path("meetings/<int:meeting_id>/resolutions/add/", resolution_add, name="resolution_add"),
    path("bodies/<int:body_id>/meetings/new/", meeting_schedule, name="meeting_schedule"),
    path("bodies/<int:body_id>/meetings.ics", body_calendar, name="body_calendar"),
]
