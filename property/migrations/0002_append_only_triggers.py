"""The database refuses to change or remove a money record, whoever asks (issue 6: "refused at the model and
database level"). PostgreSQL refuses UPDATE and DELETE; SQLite refuses UPDATE (its test databases are emptied
with DELETE between transactional tests, which a DELETE trigger would block)."""

from django.db import migrations

TABLES = [
    "property_chargerun",
    "property_charge",
    "property_payment",
    "property_allocation",
    "property_ledgerentry",
    "property_reminder",
]
MESSAGE = "append-only ledger: correct with a reversing entry"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION property_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (%)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION, params=None)  # RAISE uses %: no placeholders here
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION property_refuse_change();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS property_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("property", "0001_fees_ledger")]

    operations = [migrations.RunPython(create, drop)]
