"""Writes for meetings: notice, attendance, minutes with signatures, corrections, resolutions, overdue minutes.

Every function checks the meeting's community (governance.permissions), validates, writes in one transaction,
audits, and notifies after the commit (notify() defers its push and mail itself).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance import permissions
from governance.domain import meetings as rules
from governance.models import (
    Attendance,
    BodyPage,
    MeetingPage,
    Membership,
    Minutes,
    MinutesRevision,
    MinutesSignature,
    Resolution,
)
from governance.services.notices import meeting_notice_post
from home.models import AuditEntry, CommunityRole
from home.services.audit import audit_record
from home.services.notifications import notify

Role = CommunityRole.Role


# ---------------------------------------------------------------- reads shared by services and views


def body_of(meeting: MeetingPage) -> BodyPage:
    cached = getattr(meeting, "_body_cache", None)
    if cached is None:
        cached = BodyPage.objects.parent_of(meeting).get()
        meeting._body_cache = cached
    return cached


def meeting_date(meeting: MeetingPage) -> date:
    return rules.local_date(meeting.starts_at)


def current_memberships(body: BodyPage, on: date):
    """Seats held on `on` (C-10: ended seats and terms that ended do not count)."""
    return (
        Membership.objects.filter(body=body, term_start__lte=on)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("person__user")
        .order_by("position", "id")
    )


def seat_count_of(body: BodyPage, on: date) -> int:
    """The full complement (C-06): the elected seat count, or the seats held when none is set."""
    return body.seat_count or current_memberships(body, on).count()


def attending_memberships(meeting: MeetingPage):
    return Membership.objects.filter(
        attendances__meeting=meeting, attendances__status=Attendance.Status.PRESENT
    ).select_related("person__user")


def present_count(meeting: MeetingPage) -> int:
    return meeting.attendances.filter(status=Attendance.Status.PRESENT).count()


def latest_revision(minutes: Minutes) -> MinutesRevision | None:
    return minutes.revisions.order_by("-number").first()


def minutes_of(meeting: MeetingPage) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def missing_signers(minutes: Minutes) -> list[Membership]:
    """Attending members without a signature row (confirmed or refused) on the revision being confirmed."""
    revision = latest_revision(minutes)
    signed = set(revision.signatures.values_list("membership_id", flat=True)) if revision else set()
    return [m for m in attending_memberships(minutes.meeting) if m.pk not in signed]


def minutes_is_overdue(meeting: MeetingPage, today: date | None = None) -> bool:
    minutes = minutes_of(meeting)
    published = minutes is not None and minutes.status == Minutes.Status.PUBLISHED
    return rules.minutes_overdue(starts_at=meeting.starts_at, today=today or timezone.localdate(), published=published)


def role_users(community, *roles: str):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__community_role__community=community, groups__community_role__role__in=roles)
        .distinct()
    )


def notice_rule_message(body_kind: str) -> str:
    days = rules.notice_days_required(body_kind)
    if body_kind == rules.OWNERS_ASSEMBLY:
        return _("An owners' assembly meeting must be notified to all owners %(days)s days before it meets (A-09).") % {
            "days": days
        }
    if rules.notice_days_required(body_kind) == rules.COMMITTEE_NOTICE_DAYS:
        return _("A committee meeting's content and agenda must be posted %(days)s days before it meets (C-07).") % {
            "days": days
        }
    return _("Members must be told of a meeting at least %(days)s day(s) before it meets.") % {"days": days}


# ---------------------------------------------------------------- guards


def _community(meeting: MeetingPage):
    community = permissions.community_of(meeting)
    if community is None:
        raise PermissionDenied
    return community


def _require_manager(actor, meeting: MeetingPage):
    """`actor=None` is the system (seed, import of historical records), as in home.services.registry."""
    community = _community(meeting)
    if actor is not None and not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    return community


def _url(meeting: MeetingPage) -> str:
    return meeting.url or ""


# ---------------------------------------------------------------- scheduling


def meeting_schedule(
    *,
    actor,
    body: BodyPage,
    title: str,
    slug: str,
    starts_at: datetime,
    place: str = "",
    online_link: str = "",
    agenda: tuple[str, ...] = (),
    kind: str = MeetingPage.Kind.REGULAR,
    form: str = MeetingPage.Form.DISCUSSION,
    recorder=None,
) -> MeetingPage:
    """Create and publish a meeting page under its body; idempotent by slug. A future meeting must leave
    room for its notice period (A-09, C-07); a past one is the record of a meeting already held."""
    from governance.models import AgendaItem

    community = permissions.community_of(body)
    if community is None:
        raise PermissionDenied
    existing = MeetingPage.objects.child_of(body).filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    meeting = MeetingPage(
        title=title,
        slug=slug,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        kind=kind,
        form=form,
        recorder=recorder,
    )
    if actor is not None and not permissions.can_manage_body_meetings(actor, body):
        raise PermissionDenied
    now = timezone.now()
    if starts_at > now:
        meeting_notice_check(meeting=meeting, body=body, now=now)
    for i, item in enumerate(agenda):
        meeting.agenda_items.add(AgendaItem(title=item, sort_order=i))
    with transaction.atomic():
        body.add_child(instance=meeting)
        meeting.save_revision(user=actor).publish()
        audit_record(
            actor=actor,
            community=community,
            action="meeting.schedule",
            target=meeting,
            after={"starts_at": starts_at.isoformat(), "agenda": list(agenda)},
        )
    return meeting


# ---------------------------------------------------------------- notice (A-09, C-07)


def meeting_notice_check(*, meeting: MeetingPage, body: BodyPage, now: datetime) -> None:
    if not rules.notice_period_met(body_kind=body.kind, notice_at=now, starts_at=meeting.starts_at):
        raise ValidationError(notice_rule_message(body.kind))


def meeting_notice_publish(*, actor, meeting: MeetingPage, now: datetime | None = None) -> MeetingPage:
    """Publish the notice: the period is checked against now; afterwards the agenda is locked (A-09)."""
    community = _require_manager(actor, meeting)
    now = now or timezone.now()
    body = body_of(meeting)
    if meeting.notice_published_at is not None:
        raise ValidationError(_("The notice of this meeting has already been published."))
    if not meeting.agenda_items.exists():
        raise ValidationError(
            _("Add the agenda before publishing the notice: nothing can be decided that was not announced (A-09).")
        )
    meeting_notice_check(meeting=meeting, body=body, now=now)
    with transaction.atomic():
        MeetingPage.objects.filter(pk=meeting.pk).update(notice_published_at=now)
        meeting.notice_published_at = now
        audit_record(
            actor=actor,
            community=community,
            action="meeting.notice_publish",
            target=meeting,
            after={"starts_at": meeting.starts_at.isoformat(), "notice_published_at": now.isoformat()},
        )
        recipients = {m.person.user for m in current_memberships(body, meeting_date(meeting)) if m.person.user_id}
        if body.kind == rules.OWNERS_ASSEMBLY:
            # every owner is notified (here: every owner with a portal account; the paper notice on the
            # notice board reaches the others), and the residents' committee at the same time.
            recipients |= set(role_users(community, Role.OWNER, Role.COMMUNITY_STAFF))
        title = _("Meeting notice: %(title)s") % {"title": meeting.title}
        when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        for user in recipients:
            notify(recipient=user, title=title, body=f"{when} {meeting.place}".strip(), url=_url(meeting))
        meeting_notice_post(actor=actor, meeting=meeting, body=body, community=community)
    return meeting


# ---------------------------------------------------------------- attendance


def attendance_record(
    *, actor, meeting: MeetingPage, membership: Membership, status: str, note: str = ""
) -> Attendance:
    community = _require_manager(actor, meeting)
    body = body_of(meeting)
    if status not in Attendance.Status.values:
        raise ValidationError(_("Choose present, absent or on leave."))
    if not current_memberships(body, meeting_date(meeting)).filter(pk=membership.pk).exists():
        raise ValidationError(
            _("%(name)s held no seat on this body on the day of the meeting.") % {"name": membership.person.full_name}
        )
    with transaction.atomic():
        before = (
            Attendance.objects.filter(meeting=meeting, membership=membership).values_list("status", flat=True).first()
        )
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            membership=membership,
            defaults={"status": status, "note": note[:200], "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            community=community,
            action="attendance.record",
            target=attendance,
            before={"status": before} if before else None,
            after={"status": status},
        )
    return attendance


# ---------------------------------------------------------------- minutes (A-12, C-07)


def minutes_draft(*, actor, meeting: MeetingPage, text: str) -> Minutes:
    """Write the draft. Each save is a new revision (append-only); only a draft can be rewritten this way."""
    community = _require_manager(actor, meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The minutes cannot be empty."))
    with transaction.atomic():
        minutes, _created = Minutes.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"created_by": actor}
        )
        if minutes.status != Minutes.Status.DRAFT:
            raise ValidationError(_("The minutes are no longer a draft; after publication, record a correction."))
        revision = _revision_append(minutes, actor=actor, text=text)
        audit_record(
            actor=actor,
            community=community,
            action="minutes.draft",
            target=minutes,
            after={"revision": revision.number},
        )
    return minutes


def _revision_append(minutes: Minutes, *, actor, text: str, reason: str = "") -> MinutesRevision:
    last = latest_revision(minutes)
    return MinutesRevision.objects.create(
        minutes=minutes, number=(last.number + 1) if last else 1, body=text, correction_reason=reason, created_by=actor
    )


def minutes_submit(*, actor, minutes: Minutes) -> Minutes:
    """Ask the attending members to sign (C-07: decisions carry the signatures of attending members)."""
    meeting = minutes.meeting
    community = _require_manager(actor, meeting)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for signatures."))
    attending = list(attending_memberships(meeting))
    if not attending:
        raise ValidationError(_("Record who attended before sending the minutes for signatures."))
    with transaction.atomic():
        minutes.status = Minutes.Status.CONFIRMING
        minutes.save(update_fields=["status"])
        audit_record(
            actor=actor, community=community, action="minutes.submit", target=minutes, after={"status": minutes.status}
        )
        for membership in attending:
            if membership.person.user_id:
                notify(
                    recipient=membership.person.user,
                    title=_("Please confirm the minutes of %(title)s") % {"title": meeting.title},
                    url=_url(meeting),
                )
    return minutes


def membership_of_user_at(meeting: MeetingPage, user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return attending_memberships(meeting).filter(person__user=user).first()


def minutes_sign(*, user, minutes: Minutes, decision: str, note: str = "") -> MinutesSignature:
    """An attending member confirms or refuses the minutes, as themselves; a refusal needs its reason."""
    meeting = minutes.meeting
    community = _community(meeting)
    membership = membership_of_user_at(meeting, user)
    if membership is None:
        raise PermissionDenied
    if minutes.status != Minutes.Status.CONFIRMING:
        raise ValidationError(_("These minutes are not awaiting signatures."))
    note = (note or "").strip()
    if decision not in MinutesSignature.Decision.values:
        raise ValidationError(_("Choose to confirm or to refuse."))
    if decision == MinutesSignature.Decision.REFUSED and not note:
        raise ValidationError(_("Give the reason for refusing to sign; it is recorded with the minutes."))
    revision = latest_revision(minutes)
    with transaction.atomic():
        if MinutesSignature.objects.filter(revision=revision, membership=membership).exists():
            raise ValidationError(_("You have already signed these minutes."))
        signature = MinutesSignature.objects.create(
            revision=revision, membership=membership, decision=decision, note=note[:300]
        )
        audit_record(
            actor=user,
            community=community,
            action="minutes.sign",
            target=minutes,
            after={"decision": decision, "revision": revision.number},
            note=note,
        )
    return signature


def minutes_paper_signature_import(*, minutes: Minutes, membership: Membership, decision: str, note: str = ""):
    """System only (seed, import of historical paper minutes): a signature given on paper by an attending
    member without a portal account. Members with an account sign in the portal (minutes_sign)."""
    if membership not in attending_memberships(minutes.meeting):
        raise ValidationError(
            _("%(name)s held no seat on this body on the day of the meeting.") % {"name": membership.person.full_name}
        )
    revision = latest_revision(minutes)
    with transaction.atomic():
        signature, created = MinutesSignature.objects.get_or_create(
            revision=revision, membership=membership, defaults={"decision": decision, "note": note[:300]}
        )
        if created:
            audit_record(
                actor=None,
                community=_community(minutes.meeting),
                action="minutes.sign",
                target=minutes,
                after={"decision": decision, "revision": revision.number},
                note="paper",
            )
    return signature


def minutes_publish(*, actor, minutes: Minutes, now: datetime | None = None) -> Minutes:
    """Only when every attending member has a signature row: confirmed, or refused with the refusal recorded."""
    meeting = minutes.meeting
    community = _require_manager(actor, meeting)
    if minutes.status != Minutes.Status.CONFIRMING:
        raise ValidationError(_("Send the minutes for signatures before publishing them."))
    missing = missing_signers(minutes)
    if missing:
        names = "、".join(m.person.full_name for m in missing)
        raise ValidationError(
            _("These attending members have not yet signed or refused: %(names)s.") % {"names": names}
        )
    now = now or timezone.now()
    with transaction.atomic():
        minutes.status = Minutes.Status.PUBLISHED
        minutes.published_at = now
        minutes.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor, community=community, action="minutes.publish", target=minutes, after={"status": minutes.status}
        )
    return minutes


def minutes_correct(*, actor, minutes: Minutes, text: str, reason: str) -> MinutesRevision:
    """After publication: a new revision with the reason shown publicly, never an edit."""
    meeting = minutes.meeting
    community = _require_manager(actor, meeting)
    if minutes.status != Minutes.Status.PUBLISHED:
        raise ValidationError(_("Only published minutes are corrected; a draft is simply rewritten."))
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text:
        raise ValidationError(_("The minutes cannot be empty."))
    if not reason:
        raise ValidationError(_("Give the reason for the correction; it is shown with the minutes."))
    with transaction.atomic():
        revision = _revision_append(minutes, actor=actor, text=text, reason=reason)
        audit_record(
            actor=actor,
            community=community,
            action="minutes.correct",
            target=minutes,
            after={"revision": revision.number},
            note=reason,
        )
    return revision


# ---------------------------------------------------------------- resolutions (C-06, G-07)


def resolution_record(
    *,
    actor,
    meeting: MeetingPage,
    agenda_item=None,
    text: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstain: int = 0,
) -> Resolution:
    community = _require_manager(actor, meeting)
    body = body_of(meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the text of the resolution."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("That agenda item belongs to another meeting."))
    present = present_count(meeting)
    seats = seat_count_of(body, meeting_date(meeting))
    problems = rules.vote_problems(
        present=present, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain
    )
    if problems:
        raise ValidationError(
            _("%(votes)s votes but %(present)s members present: only members present vote, no proxies (C-06).")
            % {"votes": votes_for + votes_against + votes_abstain, "present": present}
        )
    kind = (
        Resolution.Kind.CONSULTATION_OUTCOME
        if body.kind == rules.DELIBERATION_COUNCIL
        else Resolution.Kind.BODY_DECISION
    )
    with transaction.atomic():
        BodyPage.objects.select_for_update().filter(pk=body.pk).exists()
        year = meeting_date(meeting).year
        sequence = _resolutions_of_body_in_year(body, year) + 1
        resolution = Resolution.objects.create(
            meeting=meeting,
            agenda_item=agenda_item,
            kind=kind,
            text=text,
            number=rules.resolution_number(body_kind=body.kind, year=year, sequence=sequence),
            seat_count=seats,
            present_count=present,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            carried=rules.decision_carried(seat_count=seats, present=present, votes_for=votes_for),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            community=community,
            action="resolution.record",
            target=resolution,
            after={"number": resolution.number, "carried": resolution.carried, "for": votes_for, "seats": seats},
        )
    return resolution


def _resolutions_of_body_in_year(body: BodyPage, year: int) -> int:
    meetings = MeetingPage.objects.child_of(body)
    count = 0
    for r in Resolution.objects.filter(meeting__in=meetings).select_related("meeting"):
        if rules.local_date(r.meeting.starts_at).year == year:
            count += 1
    return count


# ---------------------------------------------------------------- overdue minutes


OVERDUE_ACTION = "minutes.overdue_notice"


def minutes_overdue_notify(*, today: date | None = None) -> list[MeetingPage]:
    """Tell the owners' committee and the community staff (sub-district) once per meeting whose minutes are
    late (A-12, C-07). Idempotent: an audit entry marks the meeting as reported."""
    today = today or timezone.localdate()
    reported = set(AuditEntry.objects.filter(action=OVERDUE_ACTION).values_list("target_id", flat=True))
    done = []
    candidates = (
        MeetingPage.objects.live()
        .filter(starts_at__lt=timezone.now())
        .exclude(minutes__status=Minutes.Status.PUBLISHED)
    )
    for meeting in candidates:
        if str(meeting.pk) in reported or not rules.minutes_overdue(
            starts_at=meeting.starts_at, today=today, published=False
        ):
            continue
        community = permissions.community_of(meeting)
        if community is None:
            continue
        with transaction.atomic():
            audit_record(
                actor=None,
                community=community,
                action=OVERDUE_ACTION,
                target=meeting,
                after={"due": rules.minutes_due_date(meeting.starts_at).isoformat()},
            )
            title = _("Minutes overdue: %(title)s") % {"title": meeting.title}
            body = _("The minutes were due by %(due)s (A-12, C-07).") % {
                "due": rules.minutes_due_date(meeting.starts_at).isoformat()
            }
            for user in role_users(community, Role.OWNERS_COMMITTEE, Role.COMMUNITY_STAFF):
                notify(recipient=user, title=title, body=body, url=_url(meeting))
        done.append(meeting)
    return done


# ---------------------------------------------------------------- reads for the meeting page, print view and feed


def agenda_of(meeting: MeetingPage, user) -> list:
    """The agenda in order, each item with the 议事厅 topic it came from (`topic_link`) when the user may read
    that topic; one query however long the agenda."""
    items = list(meeting.agenda_items.select_related("document", "source_topic").order_by("sort_order"))
    for item in items:
        topic = getattr(item, "source_topic", None)
        item.topic_link = topic if topic is not None and permissions.can_read_topic(user, topic) else None
    return items


def meeting_detail(meeting: MeetingPage, user, today: date | None = None) -> dict:
    """Everything the meeting page and the print view show, in a fixed number of queries."""
    body = body_of(meeting)
    on = meeting_date(meeting)
    can_manage = permissions.can_manage_meeting(user, meeting)
    can_read = permissions.can_read_meeting_records(user, meeting)
    memberships = list(current_memberships(body, on))
    attendance = {a.membership_id: a for a in meeting.attendances.all()}
    rows = [{"membership": m, "attendance": attendance.get(m.pk)} for m in memberships]
    present = sum(1 for a in attendance.values() if a.status == Attendance.Status.PRESENT)
    seats = body.seat_count or len(memberships)
    minutes = minutes_of(meeting)
    revisions = list(minutes.revisions.order_by("number")) if minutes else []
    latest = revisions[-1] if revisions else None
    signatures = list(latest.signatures.select_related("membership__person").order_by("signed_at")) if latest else []
    signed_ids = {s.membership_id for s in signatures}
    attending = [
        r["membership"] for r in rows if r["attendance"] and r["attendance"].status == Attendance.Status.PRESENT
    ]
    published = minutes is not None and minutes.status == Minutes.Status.PUBLISHED
    my_membership = next(
        (m for m in attending if user is not None and user.is_authenticated and m.person.user_id == user.pk), None
    )
    today = today or timezone.localdate()
    return {
        "body": body,
        "agenda": agenda_of(meeting, user),
        "can_manage": can_manage,
        "can_read": can_read,
        "attendance_rows": rows,
        "present_count": present,
        "seat_count": seats,
        "quorum": rules.quorum_reached(seat_count=seats, present=present),
        "attendance_recorded": bool(attendance),
        "resolutions": list(meeting.resolutions.select_related("agenda_item").order_by("id")),
        "minutes": minutes,
        "minutes_published": published,
        "revisions": revisions,
        "latest_revision": latest,
        "corrections": [r for r in revisions if r.correction_reason],
        "signatures": signatures,
        "missing_signers": [m for m in attending if m.pk not in signed_ids],
        "can_sign": bool(
            my_membership
            and minutes
            and minutes.status == Minutes.Status.CONFIRMING
            and my_membership.pk not in signed_ids
        ),
        "minutes_due": rules.minutes_due_date(meeting.starts_at),
        "minutes_overdue": rules.minutes_overdue(starts_at=meeting.starts_at, today=today, published=published),
        "is_past": meeting.starts_at <= timezone.now(),
        "notice_rule": notice_rule_message(body.kind),
        "earliest_meeting_date": rules.earliest_meeting_date(body_kind=body.kind, notice_at=timezone.now()),
        "notice_period_met_now": rules.notice_period_met(
            body_kind=body.kind, notice_at=timezone.now(), starts_at=meeting.starts_at
        ),
    }


def calendar_of(body: BodyPage, meetings, *, host: str, now: datetime) -> str:
    events = [
        rules.CalendarEvent(
            uid=f"meeting-{m.pk}@{host.split(':')[0]}",
            starts_at=m.starts_at,
            summary=f"{body.title}：{m.title}",
            location=m.place or m.online_link,
            url=m.full_url or "",
        )
        for m in meetings
    ]
    return rules.ics_calendar(name=body.title, events=events, now=now)


def overdue_meeting_ids(meetings, today: date | None = None) -> set[int]:
    """For the body page: which of these (past) meetings have late minutes (A-12). One query."""
    today = today or timezone.localdate()
    published = set(
        Minutes.objects.filter(meeting__in=[m.pk for m in meetings], status=Minutes.Status.PUBLISHED).values_list(
            "meeting_id", flat=True
        )
    )
    return {
        m.pk for m in meetings if rules.minutes_overdue(starts_at=m.starts_at, today=today, published=m.pk in published)
    }
