"""The registry: district → sub-district → community → building → entrance → unit, and people."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from home.domain.areas import effective_area
from home.domain.masking import mask_id_number, mask_name, mask_phone
from home.fields import EncryptedCharField


class District(models.Model):
    """区 / 县."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("administrative code"), max_length=12, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class SubDistrict(models.Model):
    """街道 / 乡镇."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="sub_districts")
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="uniq_subdistrict_name")]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")

    def __str__(self):
        return f"{self.district.name}{self.name}"


class Building(models.Model):
    community = models.ForeignKey(
        "home.CommunityPage", on_delete=models.PROTECT, related_name="buildings", verbose_name=_("community")
    )
    name = models.CharField(_("building"), max_length=30, help_text=_("e.g. 3号楼"))
    sort_order = models.PositiveIntegerField(default=0)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)

    class Meta:
        ordering = ["community_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="uniq_building_name")]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.name


class Entrance(models.Model):
    """单元: one stairwell of a building."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="entrances")
    name = models.CharField(_("entrance"), max_length=30, help_text=_("e.g. 2单元"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["building_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="uniq_entrance_name")]
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")

    def __str__(self):
        return f"{self.building.name}{self.name}"


class Unit(models.Model):
    """An exclusive part (专有部分): a flat, or a special space such as a parking space (V-20)."""

    class Kind(models.TextChoices):
        RESIDENCE = "residence", _("residence")
        SPECIAL_SPACE = "special_space", _("parking space, stall or similar special space")

    entrance = models.ForeignKey(Entrance, on_delete=models.PROTECT, related_name="units")
    room = models.CharField(_("room"), max_length=20, help_text=_("e.g. 201"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RESIDENCE)
    registered_area = models.DecimalField(
        _("registered area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    surveyed_area = models.DecimalField(_("surveyed area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    contract_area = models.DecimalField(_("contract area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    delivered = models.BooleanField(
        _("delivered"), default=True, help_text=_("Sold-but-undelivered units count with the developer (V-18).")
    )

    class Meta:
        ordering = ["entrance_id", "room"]
        constraints = [
            models.UniqueConstraint(fields=["entrance", "room"], name="uniq_unit_room"),
            models.CheckConstraint(
                condition=(Q(registered_area__isnull=True) | Q(registered_area__gt=0))
                & (Q(surveyed_area__isnull=True) | Q(surveyed_area__gt=0))
                & (Q(contract_area__isnull=True) | Q(contract_area__gt=0)),
                name="unit_areas_positive",
            ),
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.label

    @property
    def label(self):
        """Full address inside the community, e.g. 3号楼2单元201室. Needs entrance and building loaded."""
        return f"{self.entrance.building.name}{self.entrance.name}{self.room}室"

    @property
    def effective_area(self):
        return effective_area(self.registered_area, self.surveyed_area, self.contract_area)[0]

    @property
    def area_source(self):
        return effective_area(self.registered_area, self.surveyed_area, self.contract_area)[1]


class Person(models.Model):
    """A natural or legal person in the registry, with or without a login."""

    full_name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    id_number = EncryptedCharField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    is_developer = models.BooleanField(
        _("developer"), default=False, help_text=_("The developer (建设单位) holding unsold or undelivered units.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~Q(id_number_hash=""), name="uniq_person_id_number"
            )
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.masked_name

    @property
    def masked_name(self):
        return self.full_name if self.is_developer else mask_name(self.full_name)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class Ownership(models.Model):
    """One person's title to one unit. Co-owners name one designated voter (V-19)."""

    class OwnerStatus(models.TextChoices):
        REGISTERED = "registered", _("registered owner")
        POSSESSION_PENDING = "possession_pending_registration", _("in lawful possession, registration pending")
        DEVELOPER_RETAINED = "developer_retained", _("developer-retained (unsold or undelivered)")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ownerships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ownerships")
    owner_status = models.CharField(
        _("owner status"), max_length=40, choices=OwnerStatus.choices, default=OwnerStatus.REGISTERED
    )
    is_designated_voter = models.BooleanField(_("designated voter"), default=False)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"], condition=Q(ended_on__isnull=True), name="uniq_current_ownership"
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_designated_voter=True, ended_on__isnull=True),
                name="one_designated_voter_per_unit",
            ),
        ]
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")

    def __str__(self):
        return f"{self.person} — {self.unit_id}"


class Residency(models.Model):
    """A verified link of a person to a unit they live in or own."""

    class Relation(models.TextChoices):
        OWNER = "owner", _("owner")
        FAMILY = "family", _("family member")
        TENANT = "tenant", _("tenant")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="residencies")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="residencies")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    verified_at = models.DateTimeField(_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "person"], condition=Q(ended_on__isnull=True), name="uniq_current_residency"
            )
        ]
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")

    def __str__(self):
        return f"{self.person} — {self.get_relation_display()}"


class UnitClaim(models.Model):
    """A user's claim to a unit, waiting for the committee to verify or reject it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_claims")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="claims")
    relation = models.CharField(_("relation"), max_length=10, choices=Residency.Relation.choices)
    claimant_name = models.CharField(_("claimant's name"), max_length=100)
    evidence_note = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the last four digits of the property certificate, or the owner who invited you"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                condition=Q(status__in=["pending", "verified"]),
                name="one_open_claim_per_user_unit",
            )
        ]
        verbose_name = _("unit claim")
        verbose_name_plural = _("unit claims")

    def __str__(self):
        return f"{self.claimant_name} → {self.unit.label}（{self.get_status_display()}）"
