"""The public side of renovation projects (issue 8): the project page (the hub every other renovation page links
to), the public list of projects and the city dashboard by district with the county reward.

A project is public once the city approved it (``project.is_public``); before that only those who may read the
application (its community, the reviewers covering it, the bureau) see it, others get the Chinese 403 page.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from home.models import District
from property import renovation_permissions as can
from property import renovation_selectors as selectors
from property.domain import renovation as rules
from property.models import RenovationProject
from property.services import renovation as services

FORBIDDEN_TEMPLATE = "property/renovation/project_forbidden.html"
PROJECTS_PER_PAGE = 20


def forbidden(request, message=""):
    """The 403 page for everyone, signed in or not (with a link to sign in for visitors)."""
    return render(request, FORBIDDEN_TEMPLATE, {"message": message}, status=403)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def actions_for(user, project: RenovationProject) -> dict:
    """The action pages the signed-in user may use on this project."""
    if not user.is_authenticated:
        return {}
    stage = project.stage
    executing = stage in services.EXECUTION_STAGES
    records = can.may_record_execution(user, project)
    edits = can.may_edit_items(user, project)
    return {
        "edit": stage in services.EDITABLE_STAGES and can.is_applicant_side(user, project),
        "items": edits,
        "review": bool(
            stage == RenovationProject.Stage.IN_REVIEW and can.may_review(user, project, project.review_level)
        ),
        "plan": stage == RenovationProject.Stage.APPROVED and can.is_city_reviewer(user),
        "milestone": executing and records,
        "receipt": executing and records,
        "progress": stage in (RenovationProject.Stage.PLANNED, RenovationProject.Stage.UNDER_WAY)
        and can.may_report_progress(user, project),
        "cost_share": records or edits,
    }


@require_GET
def renovation_project(request, project_id):
    project = selectors.project_for_page(project_id)
    if project is None:
        raise Http404
    if not can.may_read(request.user, project):
        return forbidden(request, "这份改造申请尚未通过审核，只有本小区和负责审核的人员可以查看。")
    page = selectors.project_page(project)
    actions = actions_for(request.user, project)
    context = {
        "project": project,
        "community": project.community,
        "page_data": page,
        "actions": actions,
        "any_action": any(actions.values()),
        "eligibility": services.eligibility_of(project) if not project.is_public else None,
        "photo_filter": selectors.PHOTO_FILTER,
        "today": timezone.localdate(),
        "level_label": rules.LEVEL_LABELS.get(project.review_level, ""),
    }
    return render(request, "property/renovation/project.html", context)


@require_GET
def renovation_index(request):
    district_id = _int(request.GET.get("district"))
    year = _int(request.GET.get("year"))
    stage = request.GET.get("stage", "")
    projects = selectors.public_projects(district_id=district_id, year=year, stage=stage)
    page_obj = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page_obj,
        "projects": page_obj.object_list,
        "districts": District.objects.order_by("name"),
        "years": selectors.plan_years(),
        "stages": [
            (value, label) for value, label in RenovationProject.Stage.choices if value in selectors.PUBLIC_STAGES
        ],
        "chosen": {"district": district_id, "year": year, "stage": stage if stage in selectors.PUBLIC_STAGES else ""},
        "query": query.urlencode(),
    }
    return render(request, "property/renovation/index.html", context)


@require_GET
def renovation_dashboard(request):
    years = selectors.plan_years()
    year = _int(request.GET.get("year"))
    if year not in years:
        year = years[0] if years else None
    context = {
        "dashboard": selectors.dashboard(),
        "years": years,
        "year": year,
        "rewards": selectors.county_rewards(year) if year else [],
        "share": int(rules.COUNTY_REWARD_SHARE * 100),
    }
    return render(request, "property/renovation/dashboard.html", context)


urlpatterns = [
    path("renovation/", renovation_index, name="renovation_index"),
    path("renovation/dashboard/", renovation_dashboard, name="renovation_dashboard"),
    path("renovation/<int:project_id>/", renovation_project, name="renovation_project"),
]
