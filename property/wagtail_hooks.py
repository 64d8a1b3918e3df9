"""The renovation reviewers above the community and the city's annual plans, edited in the Wagtail admin (issue 8).

Both are city-wide: only superusers and the housing bureau's staff may see or edit them. Nobody deletes them here:
a reviewer who leaves is made inactive (their signed steps keep naming them) and a plan is referred to by its
projects.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.permissions import is_bureau_staff
from property.domain import renovation as rules
from property.models import AnnualPlan, CompanyStaff, ManagementBundle, PropertyCompany, RenovationOfficer

BUREAU_ACTIONS = {"add", "change", "view"}


class BureauOnlyPolicy(BasePermissionPolicy):
    """Add, change and view for superusers and bureau staff; delete for nobody."""

    def user_has_permission(self, user, action):
        return action in BUREAU_ACTIONS and is_bureau_staff(user)

    def users_with_any_permission(self, actions):
        if not set(actions) & BUREAU_ACTIONS:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=settings.PORTAL_BUREAU_GROUP), is_active=True)
            .distinct()
        )


class RenovationOfficerForm(WagtailAdminModelForm):
    """The area must match the level: a sub-district for its office, a district for its government, none for the
    city. Said in Chinese here rather than as the database constraint's name."""

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        district = cleaned.get("district")
        sub_district = cleaned.get("sub_district")
        if level == rules.SUB_DISTRICT and (sub_district is None or district is not None):
            raise forms.ValidationError(_("A sub-district office reviewer needs its sub-district, and no district."))
        if level == rules.DISTRICT and (district is None or sub_district is not None):
            raise forms.ValidationError(_("A county/district reviewer needs its district, and no sub-district."))
        if level == rules.CITY and (district is not None or sub_district is not None):
            raise forms.ValidationError(_("A city reviewer acts everywhere: leave district and sub-district empty."))
        return cleaned


class RenovationOfficerViewSet(SnippetViewSet):
    model = RenovationOfficer
    icon = "user"
    menu_label = _("Renovation reviewers")
    list_display = ["user", "organisation", "position", "level", "district", "sub_district", "active"]
    list_filter = ["level", "active"]
    search_fields = ["organisation", "position"]
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("level"),
            FieldPanel("organisation"),
            FieldPanel("position"),
            FieldPanel("district"),
            FieldPanel("sub_district"),
            FieldPanel("active"),
        ],
        base_form_class=RenovationOfficerForm,
    )


class AnnualPlanViewSet(SnippetViewSet):
    model = AnnualPlan
    icon = "date"
    menu_label = _("Annual renovation plans")
    list_display = ["year", "completion_deadline"]
    ordering = ["-year"]
    panels = [FieldPanel("year"), FieldPanel("completion_deadline")]


class RenovationGroup(SnippetViewSetGroup):
    """Who reviews renovation applications above the community, and the city's plans by year."""

    items = (RenovationOfficerViewSet, AnnualPlanViewSet)
    menu_icon = "home"
    menu_label = _("Old-community renovation")
    menu_name = "renovation"


register_permission_policy(RenovationOfficer, BureauOnlyPolicy(RenovationOfficer))
register_permission_policy(AnnualPlan, BureauOnlyPolicy(AnnualPlan))
register_snippet(RenovationGroup)


# --- property management (issue 9) -------------------------------------------------------------------------------


class BureauReadOnlyPolicy(BasePermissionPolicy):
    """View for superusers and bureau staff; written only through the pages, whose services keep access in step."""

    def user_has_permission(self, user, action):
        return action == "view" and is_bureau_staff(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return BureauOnlyPolicy(self.model).users_with_any_permission(actions)


class PropertyCompanyViewSet(SnippetViewSet):
    """The company registry. Staff accounts are added on the company's page (so their access is synced)."""

    model = PropertyCompany
    icon = "group"
    menu_label = _("Property companies")
    list_display = ["name", "credit_code", "licence_valid_until", "service_phone", "active"]
    list_filter = ["active"]
    search_fields = ["name", "credit_code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("credit_code"),
        FieldPanel("legal_representative"),
        FieldPanel("registered_address"),
        FieldPanel("licence_valid_until"),
        FieldPanel("contact_name"),
        FieldPanel("contact_phone"),
        FieldPanel("service_phone"),
        FieldPanel("active"),
    ]


class CompanyStaffViewSet(SnippetViewSet):
    """Read-only here: staff are added and deactivated on the company's page, through company_staff_add/remove."""

    model = CompanyStaff
    icon = "user"
    menu_label = _("Company staff")
    list_display = ["company", "user", "title", "is_manager", "active"]
    list_filter = ["company", "is_manager", "active"]
    inspect_view_enabled = True


class ManagementBundleViewSet(SnippetViewSet):
    """Read-only here: a group is organised on its page (bundle_new), which opens the communities' periods."""

    model = ManagementBundle
    icon = "list-ul"
    menu_label = _("Bundled management groups")
    list_display = ["name", "sub_district", "operator_label", "guarantor", "started_on"]
    inspect_view_enabled = True


class ManagementGroup(SnippetViewSetGroup):
    items = (PropertyCompanyViewSet, CompanyStaffViewSet, ManagementBundleViewSet)
    menu_icon = "group"
    menu_label = _("Property management")
    menu_name = "property-management"


register_permission_policy(PropertyCompany, BureauOnlyPolicy(PropertyCompany))
register_permission_policy(CompanyStaff, BureauReadOnlyPolicy(CompanyStaff))
register_permission_policy(ManagementBundle, BureauReadOnlyPolicy(ManagementBundle))
register_snippet(ManagementGroup)


@hooks.register("after_edit_snippet")
def property_company_access_sync(request, instance):
    """A company made inactive (or active again) in the admin: its staff lose (or regain) their access."""
    if isinstance(instance, PropertyCompany):
        from property.services.management import company_access_sync

        company_access_sync(instance)
