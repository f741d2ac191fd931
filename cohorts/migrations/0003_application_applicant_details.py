"""Applications hold the applicant's own details; the account link becomes optional.

Existing applications copy their details from the linked account. Memberships with the old "applied"
status become submitted applications (unless the person already has one for that cohort) and are
removed, since an application now records that state on its own.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_details_and_convert_applied(apps, schema_editor):
    Application = apps.get_model("cohorts", "Application")
    Membership = apps.get_model("cohorts", "Membership")
    for application in Application.objects.select_related("user__organisation"):
        user = application.user
        application.full_name = user.full_name or user.email
        application.email = user.email.lower()
        application.organisation = user.organisation
        application.sector = user.organisation.sector if user.organisation else "other"
        application.job_title = user.job_title
        application.save()
    for membership in Membership.objects.filter(status="applied").select_related("user__organisation"):
        user = membership.user
        exists = Application.objects.filter(cohort_id=membership.cohort_id, email__iexact=user.email).exists()
        if not exists:
            Application.objects.create(
                cohort_id=membership.cohort_id,
                user=user,
                full_name=user.full_name or user.email,
                email=user.email.lower(),
                organisation=user.organisation,
                sector=user.organisation.sector if user.organisation else "other",
                side=membership.side,
                job_title=user.job_title,
                motivation="(Recorded before applications held their own details.)",
                status="submitted",
            )
        membership.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0002_initial"),
        ("programme", "0001_initial"),
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
        migrations.RunPython(copy_details_and_convert_applied, migrations.RunPython.noop),
    ]
