"""Forms of the owners' votes (业主表决). They only parse; governance.services.decisions decides and refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Ballot, OwnersDecision
from governance.services.decisions import MAX_QUESTIONS
from home.models import Building, Entrance

Matter = OwnersDecision.Matter
Scope = OwnersDecision.Scope

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MATTER_HELP = _(
    "Items 6, 7 and 8 (raising the maintenance fund, rebuilding, changing the use of common parts) and adding a "
    "lift need at least 3/4 of the participating area and owners; the other items need more than half; turning a "
    "home into business premises needs every owner of the building. Every matter needs at least 2/3 of all area "
    "and owners taking part."
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Beijing time"),
        error_messages={"required": _("Set when voting opens and when it closes.")},
    )


def scope_choices(community) -> list[tuple[str, str]]:
    """One select for the scope: the whole community, each building, each entrance (works without JS)."""
    choices = [(Scope.COMMUNITY, _("whole community"))]
    entrances = list(
        Entrance.objects.filter(building__community_id=community.pk)
        .select_related("building")
        .order_by("building__sort_order", "building__name", "sort_order", "name")
    )
    buildings = list(Building.objects.filter(community_id=community.pk).order_by("sort_order", "name"))
    for building in buildings:
        choices.append((f"building:{building.pk}", building.name))
        choices.extend(
            (f"entrance:{entrance.pk}", f"{building.name}{entrance.name}")
            for entrance in entrances
            if entrance.building_id == building.pk
        )
    return choices


def scope_value(decision: OwnersDecision) -> str:
    if decision.scope == Scope.ENTRANCE and decision.scope_entrance_id:
        return f"entrance:{decision.scope_entrance_id}"
    if decision.scope == Scope.BUILDING and decision.scope_building_id:
        return f"building:{decision.scope_building_id}"
    return Scope.COMMUNITY


class DecisionForm(forms.Form):
    title = forms.CharField(
        label=_("Matter to decide"), max_length=200, error_messages={"required": _("Enter the matter to decide.")}
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    matter = forms.ChoiceField(
        label=_("Matter of art. 278"),
        choices=[("", _("Choose the matter")), *Matter.choices],
        help_text=MATTER_HELP,
        error_messages={"required": _("Choose which matter of art. 278 this vote decides.")},
    )
    place = forms.ChoiceField(
        label=_("Scope of the vote"),
        help_text=_("Only the owners of the chosen building or entrance vote, and the totals count only them."),
    )
    opens_at = _datetime_field(_("Voting opens"))
    closes_at = _datetime_field(_("Voting closes"))
    is_secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_("Everyone sees who took part, nobody sees who chose what."),
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line, at most 10. Every question is answered agree, disagree or abstain."),
        error_messages={"required": _("Enter at least one question.")},
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = scope_choices(community)

    @classmethod
    def initial_for(cls, decision: OwnersDecision) -> dict:
        return {
            "title": decision.title,
            "description": decision.description,
            "matter": decision.matter,
            "place": scope_value(decision),
            "opens_at": decision.opens_at,
            "closes_at": decision.closes_at,
            "is_secret": decision.is_secret,
            "questions": "\n".join(q.text for q in decision.questions.all()),
        }

    def clean_questions(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Enter at least one question."))
        if len(lines) > MAX_QUESTIONS:
            raise forms.ValidationError(_("A vote may have at most 10 questions."))
        return lines

    def scope_parts(self, community) -> dict:
        """scope, building, entrance for the writer, from the one select."""
        value = self.cleaned_data["place"]
        kind, _sep, pk = value.partition(":")
        if kind == "building":
            building = Building.objects.filter(community_id=community.pk, pk=int(pk)).first()
            return {"scope": Scope.BUILDING, "building": building, "entrance": None}
        if kind == "entrance":
            entrance = (
                Entrance.objects.select_related("building").filter(building__community_id=community.pk, pk=int(pk))
            ).first()
            return {"scope": Scope.ENTRANCE, "building": None, "entrance": entrance}
        return {"scope": Scope.COMMUNITY, "building": None, "entrance": None}


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ProcedureRulesForm(forms.Form):
    include_special_spaces_in_area = forms.ChoiceField(
        label=_("Do parking spaces and similar special spaces count toward voting area? (V-20)"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("The community decides this in its rules of procedure; there is no default."),
        error_messages={"required": _("Decide whether parking spaces count toward voting area (V-20).")},
    )
    ballots_changeable = forms.ChoiceField(
        label=_("May owners change their ballot until the vote closes?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Decide whether owners may change their ballot.")},
    )
    objection_days = forms.IntegerField(
        label=_("Objection period (days)"),
        min_value=1,
        max_value=30,
        help_text=_("How long owners may object to the preliminary result; usually 7 days."),
        error_messages={
            "required": _("The objection period must be between 1 and 30 days."),
            "min_value": _("The objection period must be between 1 and 30 days."),
            "max_value": _("The objection period must be between 1 and 30 days."),
            "invalid": _("The objection period must be between 1 and 30 days."),
        },
    )

    @classmethod
    def initial_for(cls, procedure) -> dict:
        def yes_no(value):
            return None if value is None else ("yes" if value else "no")

        return {
            "include_special_spaces_in_area": yes_no(procedure.include_special_spaces_in_area),
            "ballots_changeable": yes_no(procedure.ballots_changeable),
            "objection_days": procedure.objection_days,
        }


CHOICES = [
    (Ballot.Choice.APPROVE, _("Agree")),
    (Ballot.Choice.REJECT, _("Disagree")),
    (Ballot.Choice.ABSTAIN, _("Abstain")),
]
