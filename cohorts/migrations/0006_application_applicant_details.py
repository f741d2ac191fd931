"""Applications hold the applicant's own details; the account link becomes optional (data: 0007)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0005_event_cancellation_and_repair_grace"),
        ("programme", "0004_indexes_for_lists"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="application", name="one_application_per_cohort"),
        migrations.RenameField(model_name="application", old_name="applicant", new_name="user"),
        migrations.AlterField(
            model_name="application",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="applications",
                to=settings.AUTH_USER_MODEL,
                help_text="The person's account, once accepted (or if they already had one).",
            ),
        ),
        migrations.AddField(
            model_name="application", name="full_name", field=models.CharField(default="", max_length=150)
        ),
        migrations.AddField(
            model_name="application",
            name="email",
            field=models.EmailField(default="", max_length=254, verbose_name="email address"),
        ),
        migrations.AddField(
            model_name="application",
            name="sector",
            field=models.CharField(
                choices=[
                    ("central_government", "Central government department"),
                    ("local_authority", "Local authority"),
                    ("voluntary", "Voluntary and community sector"),
                    ("other", "Other"),
                ],
                default="other",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="programme.organisation",
            ),
        ),
        migrations.AddField(
            model_name="application", name="job_title", field=models.CharField(blank=True, max_length=150)
        ),
    ]
