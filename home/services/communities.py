"""Creating communities and the index pages above them.

A community *is* its CommunityPage: creating one publishes the page under the community index, creates
its role groups with page permissions on its own subtree (home.services.roles) and writes the audit entry.
Only bureau staff create communities; `actor=None` is the system (seed, migrations).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from home.models import CommunityIndexPage, CommunityPage, HomePage, SubDistrict
from home.permissions import is_bureau_staff
from home.services.audit import audit_record
from home.services.roles import community_roles_ensure

EARLIEST_YEAR_BUILT = 1900


def _check_may_manage_site(actor) -> None:
    if actor is not None and not is_bureau_staff(actor):
        raise PermissionDenied(_("Only housing bureau staff may create communities and site sections."))


def _publish(page: Page, actor) -> None:
    # The service has checked the actor's right itself; bureau staff need no Wagtail page permission.
    page.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)


def _validate_community(*, index_page, slug, year_built, management_mode, renovation_status) -> None:
    errors = {}
    if index_page.get_children().filter(slug=slug).exists():
        errors["slug"] = _("Another community already uses the web address “%(slug)s”.") % {"slug": slug}
    if year_built is not None and not (EARLIEST_YEAR_BUILT <= year_built <= datetime.date.today().year):
        errors["year_built"] = _("The year built must be between %(first)s and this year.") % {
            "first": EARLIEST_YEAR_BUILT
        }
    if management_mode not in CommunityPage.ManagementMode.values:
        errors["management_mode"] = _("Unknown management mode.")
    if renovation_status not in CommunityPage.RenovationStatus.values:
        errors["renovation_status"] = _("Unknown renovation status.")
    if errors:
        raise ValidationError(errors)


def community_create(
    *,
    actor,
    index_page: CommunityIndexPage,
    title: str,
    slug: str,
    sub_district: SubDistrict,
    address: str,
    year_built: int | None,
    management_mode: str,
    renovation_status: str,
    is_sgyy_compound: bool = False,
    former_property_unit: str = "",
    intro: str = "",
) -> CommunityPage:
    """Publish a new community under the index, with its role groups and page permissions."""
    _check_may_manage_site(actor)
    _validate_community(
        index_page=index_page,
        slug=slug,
        year_built=year_built,
        management_mode=management_mode,
        renovation_status=renovation_status,
    )
    if is_sgyy_compound and not former_property_unit.strip():
        raise ValidationError(
            {"former_property_unit": _("A 三供一业 compound needs the name of its former owning work unit.")}
        )
    with transaction.atomic():
        community = CommunityPage(
            title=title,
            slug=slug,
            sub_district=sub_district,
            address=address,
            year_built=year_built,
            management_mode=management_mode,
            renovation_status=renovation_status,
            is_sgyy_compound=is_sgyy_compound,
            former_property_unit=former_property_unit,
            intro=intro,
            owner=actor,
        )
        index_page.add_child(instance=community)
        _publish(community, actor)
        community_roles_ensure(community)
        audit_record(
            actor=actor,
            community=community,
            action="community.create",
            target=community,
            after=_community_facts(community),
        )
    return community


def community_ensure(*, actor, index_page: CommunityIndexPage, slug: str, **fields) -> CommunityPage:
    """The community with this slug under the index, created if missing. An existing one is left as it is."""
    existing = CommunityPage.objects.child_of(index_page).filter(slug=slug).first()
    if existing is not None:
        community_roles_ensure(existing)
        return existing
    return community_create(actor=actor, index_page=index_page, slug=slug, **fields)


def _community_facts(community: CommunityPage) -> dict:
    return {
        "title": community.title,
        "slug": community.slug,
        "sub_district": community.sub_district_id,
        "address": community.address,
        "year_built": community.year_built,
        "management_mode": community.management_mode,
        "renovation_status": community.renovation_status,
        "is_sgyy_compound": community.is_sgyy_compound,
        "former_property_unit": community.former_property_unit,
    }


def child_page_ensure(*, actor, parent: Page, page_class: type[Page], slug: str, title: str, **fields) -> Page:
    """A published child page of `parent` with this slug and type, created if missing (index pages, seed).

    Takes the page class so that apps above home/ (the policy index of governance/) can use it too.
    """
    _check_may_manage_site(actor)
    existing = page_class.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        page = page_class(title=title, slug=slug, owner=actor, **fields)
        parent.add_child(instance=page)
        _publish(page, actor)
        audit_record(actor=actor, community=None, action="page.create", target=page, after={"slug": slug})
    return page


def community_index_ensure(*, actor, home_page: HomePage, title: str, slug: str, intro: str = "") -> CommunityIndexPage:
    return child_page_ensure(
        actor=actor, parent=home_page, page_class=CommunityIndexPage, slug=slug, title=title, intro=intro
    )


def home_page_intro_set(*, actor, home_page: HomePage, intro: str) -> HomePage:
    """Publish a new introduction on the city portal's home page; nothing happens when it is unchanged."""
    _check_may_manage_site(actor)
    if home_page.intro == intro:
        return home_page
    with transaction.atomic():
        before = {"intro": home_page.intro}
        home_page.intro = intro
        _publish(home_page, actor)
        audit_record(
            actor=actor,
            community=None,
            action="home_page.intro_set",
            target=home_page,
            before=before,
            after={"intro": intro},
        )
    return home_page
