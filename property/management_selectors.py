"""Reads of the management pages (issue 9): a community's management mode with its history and the contract in
force, a bundled group, the company registry, a company's page and its policy questions. A fixed number of queries
whatever the number of rows."""

from datetime import timedelta

from django.db.models import Prefetch, Q

from property.domain import management as rules
from property.models import (
    CompanyQuestion,
    CompanyStaff,
    ContractNotice,
    ManagementBundle,
    ManagementPeriod,
    PropertyCompany,
    ServiceContract,
)

RENEWAL_WARNING_DAYS = 60  # the renewal-decision deadline is flagged this many days ahead


def contracts_with_details():
    return ServiceContract.objects.select_related(
        "community", "company", "approving_question__decision", "document", "renews"
    ).prefetch_related(
        "fee_rates",
        Prefetch(
            "notices", queryset=ContractNotice.objects.select_related("approving_question__decision", "recorded_by")
        ),
    )


def contract_for_page(pk) -> ServiceContract | None:
    return contracts_with_details().filter(pk=pk).first()


def periods_of(community) -> list[ManagementPeriod]:
    """The community's management history, newest first; the open period (if any) is the current mode."""
    return list(
        ManagementPeriod.objects.filter(community=community)
        .select_related("contract__company", "bundle__operator", "approving_question__decision")
        .order_by("-starts_on", "-id")
    )


def contract_in_force(community) -> ServiceContract | None:
    return (
        contracts_with_details()
        .filter(community=community, status=ServiceContract.Status.IN_FORCE)
        .order_by("-starts_on", "-id")
        .first()
    )


def contract_facts(contract: ServiceContract, today) -> dict:
    """Filing (P-01) and renewal (P-02) deadlines of a contract, for the pages."""
    filing_due = contract.filing_due
    deadline = contract.renewal_decision_deadline
    in_force = contract.status == ServiceContract.Status.IN_FORCE
    return {
        "filing_due": filing_due,
        "filing_overdue": rules.filing_overdue(contract.signed_on, contract.filed_on, today),
        "filed_late": contract.filed_on is not None and contract.filed_on > filing_due,
        "renewal_deadline": deadline,
        "renewal_near": in_force and today <= deadline <= today + timedelta(days=RENEWAL_WARNING_DAYS),
        "renewal_passed": in_force and deadline < today,
        "in_force": in_force,
        "notices": list(contract.notices.all()),
        "rates": list(contract.fee_rates.all()),
    }


def bundle_members(bundle: ManagementBundle) -> list:
    """The communities in the group now (their open period names the bundle), with their titles."""
    return [
        period.community
        for period in ManagementPeriod.objects.filter(bundle=bundle, ends_on__isnull=True)
        .select_related("community")
        .order_by("community__title")
    ]


def bundle_for_page(pk) -> ManagementBundle | None:
    return ManagementBundle.objects.select_related("operator", "sub_district").filter(pk=pk).first()


def _served_q(company_ids=None):
    query = Q(ends_on__isnull=True) & (
        Q(mode=rules.MARKET_COMPANY, contract__isnull=False) | Q(mode=rules.BUNDLED, bundle__operator__isnull=False)
    )
    if company_ids is not None:
        query &= Q(contract__company_id__in=company_ids) | Q(bundle__operator_id__in=company_ids)
    return query


def _serving_id(period: ManagementPeriod) -> int | None:
    if period.mode == rules.MARKET_COMPANY:
        return period.contract.company_id if period.contract_id else None
    return period.bundle.operator_id if period.bundle_id else None


def company_registry() -> list[PropertyCompany]:
    """The active companies, each with ``served_count``: two queries."""
    companies = list(PropertyCompany.objects.filter(active=True).order_by("name"))
    counts: dict[int, int] = {}
    for period in ManagementPeriod.objects.filter(_served_q()).select_related("contract", "bundle"):
        company_id = _serving_id(period)
        if company_id is not None:
            counts[company_id] = counts.get(company_id, 0) + 1
    for company in companies:
        company.served_count = counts.get(company.pk, 0)
    return companies


def communities_served(company: PropertyCompany) -> list[ManagementPeriod]:
    """The open periods through which the company serves (by contract or as a bundle's operator)."""
    return list(
        ManagementPeriod.objects.filter(_served_q([company.pk]))
        .select_related("community", "contract", "bundle")
        .order_by("community__title")
    )


def staff_of(company: PropertyCompany) -> list[CompanyStaff]:
    return list(company.staff.select_related("user").order_by("-active", "-is_manager", "id"))


def company_questions(company: PropertyCompany) -> list[CompanyQuestion]:
    return list(
        CompanyQuestion.objects.filter(company=company)
        .select_related("question__asker", "question__topic")
        .order_by("-question__created_at", "-question_id")
    )
