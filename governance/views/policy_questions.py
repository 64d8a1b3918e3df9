"""Policy Q&A for askers and officials (PRODUCT.md capability 9): asking, the asker's questions, one question's
page with the officials' forms (assign, answer or revise, publish to the library, close as duplicate), the
officials' queue by jurisdiction, and the weak answers readers rated down.

Views parse, ask governance.permissions, call a writer of governance.services.policy and show its refusal in
Chinese as a form error; they change nothing themselves. Questions are private: only the asker and the officials
who may answer one read it (everyone else gets the Chinese 403). Every form works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import permissions
from governance.domain import policy as rules
from governance.forms_policy import AnswerForm, AskForm, AssignForm, DeskFilterForm, DuplicateForm, PublishForm
from governance.models import PolicyAnswerPage, PolicyQuestion
from governance.selectors import policy_desk as desk_selectors
from governance.services import policy as svc
from home.selectors import header_communities_for

FORBIDDEN_TEMPLATE = "governance/policy/questions/forbidden.html"
DETAIL_TEMPLATE = "governance/policy/questions/detail.html"


# ---------------------------------------------------------------- helpers


def _refuse(request, message=""):
    return render(request, FORBIDDEN_TEMPLATE, {"message": message}, status=403)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _message(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _question_url(question) -> str:
    return reverse("governance:policy_question", args=[question.pk])


def _question_or_none(pk):
    return desk_selectors.question_for_page(pk)


# ---------------------------------------------------------------- asking


@login_required
@require_http_methods(["GET", "POST"])
def policy_ask(request):
    community_ids = [c.id for c in header_communities_for(request.user, request=request)]
    form = AskForm(request.POST or None, community_ids=community_ids)
    if request.method == "POST" and form.is_valid():
        try:
            question = svc.question_ask(
                asker=request.user,
                title=form.cleaned_data["title"],
                details=form.cleaned_data["details"],
                community=form.cleaned_data.get("community"),
                topic=form.cleaned_data.get("topic"),
            )
        except PermissionDenied as error:
            return _refuse(request, _message(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your question was received. You will be notified when an official has answered it.")
            )
            return redirect(_question_url(question))
    status = 400 if request.method == "POST" else 200
    return render(request, "governance/policy/questions/ask.html", {"form": form}, status=status)


@login_required
@require_GET
def policy_my_questions(request):
    questions = [
        {"question": q, "public_page": desk_selectors.public_answer_of(q)}
        for q in desk_selectors.questions_of_asker(request.user)
    ]
    return render(request, "governance/policy/questions/my_questions.html", {"questions": questions})


# ---------------------------------------------------------------- one question


def _official_forms(request, question, **bound) -> dict:
    """The officials' forms the question's status allows, prefilled; a bound form (after a refusal) replaces
    its blank one."""
    forms = {}
    status = question.status
    if rules.next_status(status, "assign"):
        forms["assign_form"] = AssignForm(
            officials=desk_selectors.assignable_officials(question),
            initial={"assignee": str(question.assigned_to_id or request.user.pk)},
        )
    if rules.next_status(status, "answer"):
        forms["answer_form"] = AnswerForm(
            initial={"text": question.answer, "cited_documents": [d.pk for d in question.cited_documents.all()]}
        )
    if rules.next_status(status, "publish"):
        forms["publish_form"] = PublishForm(
            initial={
                "public_title": question.title,
                "public_question": question.details or question.title,
                "topics": [question.topic_id] if question.topic_id else [],
            }
        )
    if rules.next_status(status, "close_duplicate"):
        forms["duplicate_form"] = DuplicateForm(answers=desk_selectors.duplicate_choices())
    forms.update(bound)
    return forms


def _detail_context(request, question, **bound) -> dict:
    can_answer = permissions.can_answer_question(request.user, question)
    context = {
        "question": question,
        "steps": desk_selectors.timeline(question),
        "cited": list(question.cited_documents.all()) if question.answer else [],
        "public_page": desk_selectors.public_answer_of(question),
        "is_asker": question.asker_id == request.user.pk,
        "can_answer": can_answer,
    }
    if can_answer:
        context["asker"] = desk_selectors.asker_masked(question)
        context.update(_official_forms(request, question, **bound))
    return context


@login_required
@require_GET
def policy_question(request, pk):
    question = _question_or_none(pk)
    if question is None or not permissions.can_read_question(request.user, question):
        return _refuse(request)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, question))


def _desk_action(request, pk, form, form_name, act, success):
    """Shared POST flow: refuse outsiders, parse, call the writer, show its refusal on the form (400)."""
    question = _question_or_none(pk)
    if question is None or not permissions.can_answer_question(request.user, question):
        return _refuse(request)
    if form.is_valid():
        try:
            act(question, form.cleaned_data)
        except PermissionDenied as error:
            return _refuse(request, _message(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_question_url(question))
    question = _question_or_none(pk)
    return render(request, DETAIL_TEMPLATE, _detail_context(request, question, **{form_name: form}), status=400)


@login_required
@require_POST
def policy_question_assign(request, pk):
    question = _question_or_none(pk)
    officials = desk_selectors.assignable_officials(question) if question else []
    form = AssignForm(request.POST, officials=officials)

    def act(question, data):
        assignee = get_user_model().objects.filter(pk=int(data["assignee"])).first()
        svc.question_assign(actor=request.user, question=question, assignee=assignee)

    return _desk_action(request, pk, form, "assign_form", act, _("The question was assigned."))


@login_required
@require_POST
def policy_question_answer(request, pk):
    form = AnswerForm(request.POST)

    def act(question, data):
        svc.answer_save(
            actor=request.user, question=question, text=data["text"], cited_documents=data["cited_documents"]
        )

    return _desk_action(request, pk, form, "answer_form", act, _("The answer was sent to the asker."))


@login_required
@require_POST
def policy_question_publish(request, pk):
    form = PublishForm(request.POST)

    def act(question, data):
        svc.answer_publish(
            actor=request.user,
            question=question,
            public_title=data["public_title"],
            public_question=data["public_question"],
            topics=list(data["topics"]),
        )

    return _desk_action(request, pk, form, "publish_form", act, _("The answer is now in the public library."))


@login_required
@require_POST
def policy_question_duplicate(request, pk):
    form = DuplicateForm(request.POST, answers=desk_selectors.duplicate_choices())

    def act(question, data):
        page = PolicyAnswerPage.objects.filter(pk=data["answer_page"]).first()
        svc.question_close_duplicate(actor=request.user, question=question, answer_page=page)

    return _desk_action(
        request, pk, form, "duplicate_form", act, _("The question was closed; the asker was pointed to the answer.")
    )


# ---------------------------------------------------------------- the desk


def _jurisdiction_label(official) -> str:
    if official is None:
        return ""
    if official.sub_district_id:
        return official.sub_district.name
    if official.district_id:
        return official.district.name
    return _("the whole city")


@login_required
@require_GET
def policy_desk(request):
    if not permissions.can_use_policy_desk(request.user):
        return _refuse(request)
    filters = DeskFilterForm(request.GET or None)
    status, mine = filters.filters()
    context = desk_selectors.desk(request.user, status=status, mine=mine, page_number=request.GET.get("page"))
    official = permissions.policy_official_of(request.user)
    context.update(
        {
            "filter_form": filters if request.GET else DeskFilterForm(initial={"status": "open"}),
            "status": status,
            "mine": mine,
            "official": official,
            "jurisdiction_label": _jurisdiction_label(official),
            "status_counts": [(value, context["counts"][value]) for value in PolicyQuestion.Status.values],
        }
    )
    return render(request, "governance/policy/desk/desk.html", context)


@login_required
@require_GET
def policy_weak_answers(request):
    if not permissions.can_use_policy_desk(request.user):
        return _refuse(request)
    context = desk_selectors.weak_answers(page_number=request.GET.get("page"))
    return render(request, "governance/policy/desk/weak.html", context)


urlpatterns = [
    path("policy/ask/", policy_ask, name="policy_ask"),
    path("policy/questions/", policy_my_questions, name="policy_my_questions"),
    path("policy/questions/<int:pk>/", policy_question, name="policy_question"),
    path("policy/questions/<int:pk>/assign/", policy_question_assign, name="policy_question_assign"),
    path("policy/questions/<int:pk>/answer/", policy_question_answer, name="policy_question_answer"),
    path("policy/questions/<int:pk>/publish/", policy_question_publish, name="policy_question_publish"),
    path("policy/questions/<int:pk>/duplicate/", policy_question_duplicate, name="policy_question_duplicate"),
    path("policy/desk/", policy_desk, name="policy_desk"),
    path("policy/desk/weak/", policy_weak_answers, name="policy_weak_answers"),
]
