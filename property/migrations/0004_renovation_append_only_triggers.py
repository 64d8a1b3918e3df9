"""Review steps, funding receipts and progress reports are append-only in the database too (as the ledger's rows
in 0002, whose PostgreSQL function property_refuse_change() these triggers reuse)."""

from django.db import migrations

TABLES = ["property_reviewstep", "property_fundingreceipt", "property_progressreport"]
MESSAGE = "append-only record: add a later one instead"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION property_refuse_change();"
            )
        elif vendor == "sqlite":
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


class Migration(migrations.Migration):
    dependencies = [("property", "0003_renovation_projects")]

    operations = [migrations.RunPython(create, drop)]
