"""Reads for the asker's questions and the officials' desk: the queue by jurisdiction, one question with its
timeline, who may be assigned, and the weak answers. Every read is a fixed number of queries, filtered in the
database (never per row in Python)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from governance.domain import policy as rules
from governance.models import AnswerFeedback, PolicyAnswerPage, PolicyOfficial, PolicyQuestion
from governance.permissions import policy_official_of, question_area
from home.domain.masking import mask_name, mask_phone

Status = PolicyQuestion.Status
OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED)
DESK_PAGE_SIZE = 25
WEAK_PAGE_SIZE = 25
DUPLICATE_CHOICES_MAX = 500


# --- the asker's own questions ------------------------------------------------------------------------------


def questions_of_asker(user):
    """The user's questions, newest first, with what the status page links to (one query)."""
    return (
        PolicyQuestion.objects.filter(asker_id=user.pk)
        .select_related("community", "topic", "duplicate_of", "answer_page")
        .order_by("-created_at", "-pk")
    )


def question_for_page(pk: int) -> PolicyQuestion | None:
    """One question with everything its page shows (one query; the cited documents are one more)."""
    return (
        PolicyQuestion.objects.select_related(
            "asker",
            "asker__person",
            "community",
            "community__sub_district",
            "topic",
            "assigned_to",
            "answered_by",
            "duplicate_of",
            "answer_page",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Step:
    label_key: str  # received, assigned, answered, published, duplicate
    done: bool
    at: datetime | None = None


def timeline(question: PolicyQuestion) -> list[Step]:
    """The steps a question goes through and how far it got (from its own fields: no extra query)."""
    page = _answer_page_of(question)
    steps = [Step(Status.RECEIVED, True, question.created_at)]
    if question.status == Status.DUPLICATE:
        steps.append(Step(Status.DUPLICATE, True, question.updated_at))
        return steps
    steps.append(Step(Status.ASSIGNED, question.assigned_to_id is not None or bool(question.answer)))
    steps.append(Step(Status.ANSWERED, bool(question.answer), question.answered_at))
    published = question.status == Status.PUBLISHED and page is not None
    steps.append(Step(Status.PUBLISHED, published, page.first_published_at if published else None))
    return steps


def _answer_page_of(question) -> PolicyAnswerPage | None:
    try:
        return question.answer_page
    except ObjectDoesNotExist:
        return None


def public_answer_of(question) -> PolicyAnswerPage | None:
    """The live library page of the question's answer, if it has one."""
    page = _answer_page_of(question)
    return page if page is not None and page.live else None


def asker_masked(question) -> dict:
    """The asker as officials see them (D-01): surname and masked phone only."""
    user = question.asker
    try:
        person = user.person
    except ObjectDoesNotExist:
        person = None
    name = (person.full_name if person else "") or user.full_name or ""
    phone = (person.phone if person else "") or user.phone or ""
    return {"name": mask_name(name), "phone": mask_phone(phone)}


# --- the officials' desk --------------------------------------------------------------------------------------


def questions_in_jurisdiction(user):
    """The questions the user's official record covers (the domain's may_answer, as a database filter): the city
    sees everything; a district its communities; a sub-district its own communities. Questions naming no
    community are the bureau's. Superusers without an official record see everything."""
    official = policy_official_of(user)
    questions = PolicyQuestion.objects.all()
    if official is None:
        return questions if user.is_superuser else questions.none()
    if official.jurisdiction == PolicyOfficial.Jurisdiction.CITY:
        return questions
    if official.jurisdiction == PolicyOfficial.Jurisdiction.DISTRICT:
        return questions.filter(community__sub_district__district_id=official.district_id)
    if official.jurisdiction == PolicyOfficial.Jurisdiction.SUB_DISTRICT:
        return questions.filter(community__sub_district_id=official.sub_district_id)
    return questions.none()


def desk(user, *, status: str = "open", mine: bool = False, page_number=1) -> dict:
    """The queue: counts per status, and one page of questions (open ones oldest first with their age in days,
    the others most recently changed first). Three queries whatever the number of questions."""
    scope = questions_in_jurisdiction(user)
    counts = {value: 0 for value, _label in Status.choices}
    for row in scope.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    questions = scope.select_related("community", "topic", "assigned_to", "asker")
    if mine:
        questions = questions.filter(assigned_to_id=user.pk)
    if status == "open":
        questions = questions.filter(status__in=OPEN_STATUSES).order_by("created_at", "pk")
    elif status in Status.values:
        questions = questions.filter(status=status)
        questions = (
            questions.order_by("created_at", "pk")
            if status in OPEN_STATUSES
            else questions.order_by("-updated_at", "-pk")
        )
    else:
        questions = questions.order_by("-created_at", "-pk")
    page = Paginator(questions, DESK_PAGE_SIZE).get_page(page_number)
    now = timezone.now()
    rows = [
        {
            "question": q,
            "age_days": (now - q.created_at).days,
            "open": q.status in OPEN_STATUSES,
            "asker": mask_name(q.asker.full_name or ""),
        }
        for q in page.object_list
    ]
    return {
        "counts": counts,
        "open_count": counts[Status.RECEIVED] + counts[Status.ASSIGNED],
        "page_obj": page,
        "rows": rows,
    }


def assignable_officials(question):
    """Active officials whose jurisdiction covers the question (may_answer, as a database filter; one query)."""
    area = question_area(question)
    covers = Q(jurisdiction=PolicyOfficial.Jurisdiction.CITY)
    if area.district_id is not None:
        covers |= Q(jurisdiction=PolicyOfficial.Jurisdiction.DISTRICT, district_id=area.district_id)
    if area.sub_district_id is not None:
        covers |= Q(jurisdiction=PolicyOfficial.Jurisdiction.SUB_DISTRICT, sub_district_id=area.sub_district_id)
    return (
        PolicyOfficial.objects.filter(covers, active=True, user__is_active=True)
        .select_related("user")
        .order_by("jurisdiction", "organisation", "position", "pk")
    )


def duplicate_choices():
    """Published answers a question can be closed against, newest first (one query, at most 500)."""
    return list(
        PolicyAnswerPage.objects.live().only("id", "title").order_by("-answered_at", "-pk")[:DUPLICATE_CHOICES_MAX]
    )


# --- weak answers -----------------------------------------------------------------------------------------------


def with_votes(pages):
    """Annotate helpful / unhelpful counts and `weak`: the domain's is_weak in SQL —
    at least WEAK_MIN_VOTES votes and 2·helpful < helpful + unhelpful."""
    pages = pages.annotate(
        helpful_count=Count("feedback", filter=Q(feedback__helpful=True)),
        unhelpful_count=Count("feedback", filter=Q(feedback__helpful=False)),
    ).annotate(
        votes=ExpressionWrapper(F("helpful_count") + F("unhelpful_count"), output_field=IntegerField()),
        double_helpful=ExpressionWrapper(F("helpful_count") * 2, output_field=IntegerField()),
    )
    return pages.annotate(
        weak=Case(
            When(Q(votes__gte=rules.WEAK_MIN_VOTES) & Q(double_helpful__lt=F("votes")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def weak_answers(page_number=1) -> dict:
    """Published answers with their votes, weak ones first (most unhelpful votes first), with readers' comments.
    Three queries whatever the number of answers."""
    comments = AnswerFeedback.objects.exclude(comment="").order_by("-updated_at", "-pk")
    pages = (
        with_votes(PolicyAnswerPage.objects.live())
        .prefetch_related(Prefetch("feedback", queryset=comments, to_attr="comments"))
        .order_by("-weak", "-unhelpful_count", "-votes", "-answered_at", "-pk")
    )
    page = Paginator(pages, WEAK_PAGE_SIZE).get_page(page_number)
    weak_total = with_votes(PolicyAnswerPage.objects.live()).filter(weak=1).count()
    return {"page_obj": page, "answers": list(page.object_list), "weak_total": weak_total}
