"""Termination notices, handover signatures and attachments, and repair-request history are append-only in the
database too."""

from django.db import migrations

from property.db_triggers import append_only_operation


class Migration(migrations.Migration):
    dependencies = [("property", "0005_management_and_handover")]

    operations = [
        append_only_operation(
            [
                "property_contractnotice",
                "property_handoverattachment",
                "property_handoversignature",
                "property_repairevent",
                "property_repairphoto",
            ]
        )
    ]
