from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityRole(models.Model):
    """Binds one auth Group to one role in one community. Membership of the group *is* the role."""

    class Role(models.TextChoices):
        RESIDENT = "resident", _("resident")
        OWNER = "owner", _("owner")
        OWNERS_COMMITTEE = "owners_committee", _("owners' committee member")
        PARTY_BRANCH = "party_branch", _("party branch member")
        DELIBERATION_COUNCIL = "deliberation_council", _("deliberation council member")
        PROPERTY_STAFF = "property_staff", _("property company staff")
        COMMUNITY_STAFF = "community_staff", _("community / sub-district staff")

    community = models.ForeignKey("home.CommunityPage", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="community_role")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "role"], name="uniq_community_role")]
        verbose_name = _("community role")
        verbose_name_plural = _("community roles")

    def __str__(self):
        return self.group.name
