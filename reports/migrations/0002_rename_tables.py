"""Rename the year-end report's tables from outputs_* to reports_*, and move its content type (and with it
its permissions and admin log entries) to the reports app."""

from django.db import migrations


def move_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("yearendreport", "historicalyearendreport"):
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="outputs", target="reports")


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="reports", target="outputs")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="yearendreport", table=None),
        migrations.AlterModelTable(name="historicalyearendreport", table=None),
        migrations.RunPython(forwards, backwards),
    ]
