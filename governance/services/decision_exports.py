"""The records an owners' vote leaves behind, as rows for the pages and as Excel workbooks (openpyxl).

- `results_rows` / `results_workbook`: the vote's facts, both denominators (V-04) and, for every question, both
  tallies (area and owners) of every choice, quorate / passed and the failed tests in Chinese. For the community's
  members once the vote is counted.
- `register_rows` / `register_workbook`: the ballot register (D-13) — every owner of the frozen electorate, whether
  and how he took part (channel, time, who entered it, proxy). The choices only on an open ballot: on a secret
  ballot nobody, not even the committee, sees who chose what; the choices are not even read from the database.
  Voter names masked (D-01), never a phone or an ID number. For `permissions.can_see_ballot_register` only.

Every export is logged (D-12) by `results_export` / `register_export`. The queries do not grow with the number of
electors: the register reads the electors once and the current ballots once.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from governance import permissions
from governance.models import Ballot, DecisionQuestion, Elector, OwnersDecision
from governance.services import decisions as svc
from home.domain.masking import mask_name
from home.services.audit import audit_record

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNTED = (OwnersDecision.Status.PRELIMINARY, OwnersDecision.Status.FINAL)


def is_counted(decision: OwnersDecision) -> bool:
    return decision.status in COUNTED


# --- the result ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceRow:
    label: str
    owners: int
    area: Decimal


@dataclass(frozen=True)
class ResultRow:
    question: DecisionQuestion
    participating_owners: int
    participating_area: Decimal
    choices: list[ChoiceRow]
    quorate: bool
    passed: bool
    verdict: str
    reasons: list[str]


def results_rows(decision: OwnersDecision) -> list[ResultRow]:
    """The frozen result of every question (one query); empty until the vote is counted."""
    if not is_counted(decision):
        return []
    rows = []
    zero = Decimal("0.00")
    for question in decision.questions.all():
        rows.append(
            ResultRow(
                question=question,
                participating_owners=question.participating_owners or 0,
                participating_area=question.participating_area or zero,
                choices=[
                    ChoiceRow(
                        str(Ballot.Choice.APPROVE.label),
                        question.approving_owners or 0,
                        question.approving_area or zero,
                    ),
                    ChoiceRow(
                        str(Ballot.Choice.REJECT.label), question.rejecting_owners or 0, question.rejecting_area or zero
                    ),
                    ChoiceRow(
                        str(Ballot.Choice.ABSTAIN.label),
                        question.abstaining_owners or 0,
                        question.abstaining_area or zero,
                    ),
                ],
                quorate=bool(question.quorate),
                passed=bool(question.passed),
                verdict=_verdict(question),
                reasons=[svc.reason_sentence(reason) for reason in question.reasons or []],
            )
        )
    return rows


def _verdict(question: DecisionQuestion) -> str:
    if question.passed:
        return _("passed")
    return _("not passed") if question.quorate else _("not quorate, not passed")


def _facts(decision: OwnersDecision) -> list[tuple[str, object]]:
    return [
        (_("Vote"), decision.title),
        (_("Matter"), decision.get_matter_display()),
        (_("Scope"), svc.scope_label(decision)),
        (_("Voting opens"), _local(decision.opens_at)),
        (_("Voting closes"), _local(decision.closes_at)),
        (_("Ballot"), _("secret ballot") if decision.is_secret else _("open ballot")),
        (_("Total exclusive area of the scope (m²)"), decision.total_area),
        (_("Total owners of the scope"), decision.total_owners),
        (_("Approval rule"), svc.approval_rule_text(decision.matter)),
        (_("Status"), decision.get_status_display()),
        (_("Counted at"), _local(decision.counted_at)),
    ]


def _local(moment: datetime | None):
    """openpyxl refuses aware datetimes: local time without zone, as the committee reads it."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else ""


def _bold_row(worksheet, values) -> None:
    worksheet.append(list(values))
    for cell in worksheet[worksheet.max_row]:
        cell.font = Font(bold=True)


def results_workbook(decision: OwnersDecision) -> Workbook:
    """The result of a counted vote: facts with both denominators, then every question with both tallies of
    every choice, the verdict and the failed tests (svc.reason_sentence)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Result")
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 16
    for label, value in _facts(decision):
        sheet.append([label, value])
        if isinstance(value, datetime):
            sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd hh:mm"
    for row in results_rows(decision):
        sheet.append([])
        _bold_row(sheet, [_("Question %(n)d: %(text)s") % {"n": row.question.position, "text": row.question.text}])
        _bold_row(sheet, [_("Choice"), _("Owners"), _("Area (m²)")])
        sheet.append([_("Taking part"), row.participating_owners, row.participating_area])
        for choice in row.choices:
            sheet.append([choice.label, choice.owners, choice.area])
        sheet.append([_("Total of the scope"), decision.total_owners, decision.total_area])
        sheet.append([_("Quorate"), _("yes") if row.quorate else _("no")])
        sheet.append([_("Result"), row.verdict])
        for reason in row.reasons:
            sheet.append([_("Test not met"), reason])
    for cells in sheet.iter_rows(min_col=3, max_col=3):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    return workbook


# --- the ballot register (D-13) --------------------------------------------------------------------------------


@dataclass
class RegisterRow:
    elector: Elector
    voter: str
    voted: bool = False
    channel: str = ""
    channel_label: str = ""
    cast_at: datetime | None = None
    entered_by: str = ""
    proxy: str = ""
    proxy_token: str = ""
    note: str = ""
    scan_token: str = ""
    choices: list[str] = field(default_factory=list)


def register_electors(decision: OwnersDecision):
    """The frozen electorate in the register's order, with the voter for the masked name."""
    return Elector.objects.filter(decision=decision).select_related("voter").order_by("id")


def register_rows(decision: OwnersDecision, electors, questions: list[DecisionQuestion]) -> list[RegisterRow]:
    """One row per elector of `electors` (a page, or all of them) with his current ballots: one query for the
    ballots whatever the number of electors. The choices are read only on an open ballot."""
    electors = list(electors)
    ballots = (
        svc.current_ballots(decision)
        .filter(elector__in=[e.pk for e in electors])
        .select_related("cast_by", "proxy")
        .order_by("elector_id", "question__position", "question_id")
    )
    if decision.is_secret:
        ballots = ballots.defer("choice")
    by_elector: dict[int, list[Ballot]] = {}
    for ballot in ballots:
        by_elector.setdefault(ballot.elector_id, []).append(ballot)
    labels = {value: str(label) for value, label in Ballot.Choice.choices}
    rows = []
    for elector in electors:
        row = RegisterRow(elector=elector, voter=svc_masked_name(elector))
        mine = by_elector.get(elector.pk, [])
        if mine:
            latest = max(mine, key=lambda b: (b.cast_at, b.pk))
            row.voted = True
            row.channel = latest.channel
            row.channel_label = latest.get_channel_display()
            row.cast_at = latest.cast_at
            row.entered_by = (
                latest.cast_by.get_full_name() if latest.channel != Ballot.Channel.ONLINE else _("the voter online")
            )
            if latest.proxy_id:
                row.proxy, row.proxy_token = mask_name(latest.proxy.proxy_name), latest.proxy.token
            row.note = latest.note
            row.scan_token = latest.token if latest.scan and not decision.is_secret else ""
            if not decision.is_secret:
                answered = {b.question_id: labels.get(b.choice, "") for b in mine}
                row.choices = [answered.get(q.pk, "") for q in questions]
        elif not decision.is_secret:
            row.choices = ["" for _q in questions]
        rows.append(row)
    return rows


def svc_masked_name(elector: Elector) -> str:
    """The voter's surname only (D-01); the developer is named as such."""
    if elector.is_developer:
        return _("developer")
    return svc.masked_voter_name(elector)


def register_workbook(decision: OwnersDecision) -> Workbook:
    """The whole ballot register: participation for every owner, choices only on an open ballot."""
    questions = list(decision.questions.all())
    rows = register_rows(decision, register_electors(decision), questions)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Ballot register"))
    sheet.append([decision.title])
    sheet.append(
        [
            _("Secret ballot: who took part is listed, not who chose what.")
            if decision.is_secret
            else _("Open ballot: the choices are listed.")
        ]
    )
    header = [
        _("Owner (units)"),
        _("Voter"),
        _("Area (m²)"),
        _("Took part"),
        _("How"),
        _("When"),
        _("Entered by"),
        _("Proxy"),
        _("Note"),
    ]
    if not decision.is_secret:
        header += [_("Question %(n)d") % {"n": q.position} for q in questions]
    sheet.append(header)
    for row in rows:
        sheet.append(
            [
                row.elector.label,
                row.voter,
                row.elector.area,
                _("yes") if row.voted else _("no"),
                row.channel_label,
                _local(row.cast_at),
                row.entered_by,
                row.proxy,
                row.note,
                *row.choices,
            ]
        )
    return workbook


# --- the exports, logged (D-12) --------------------------------------------------------------------------------


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_export(*, actor, decision: OwnersDecision) -> bytes:
    """The counted result as .xlsx for a member of the vote's community; logged."""
    if not permissions.can_read_community_records(actor, decision.community):
        raise PermissionDenied(_("This vote belongs to another community."))
    if not is_counted(decision):
        raise PermissionDenied(_("The result is exported once the vote has been counted."))
    with transaction.atomic():
        data = _to_bytes(results_workbook(decision))
        audit_record(
            actor=actor, community=decision.community, action="owners_decision.export_results", target=decision
        )
    return data


def register_export(*, actor, decision: OwnersDecision) -> bytes:
    """The ballot register as .xlsx for the committee and the community staff only (D-13); logged (D-12)."""
    if not permissions.can_see_ballot_register(actor, decision.community):
        raise PermissionDenied(_("Only the owners' committee and the community staff see the ballot register."))
    with transaction.atomic():
        data = _to_bytes(register_workbook(decision))
        audit_record(
            actor=actor,
            community=decision.community,
            action="owners_decision.export_register",
            target=decision,
            after={"choices": not decision.is_secret, "names": "masked"},
        )
    return data
