"""Existing applications copy their details from the linked account. Memberships with the old "applied"
status become submitted applications (unless the person already has one for that cohort) and are
removed, since an application now records that state on its own.

A migration of its own: on PostgreSQL, rows written in the same transaction as a table's schema change
leave pending trigger events that block the index the schema change creates at its end.
"""

from django.db import migrations


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
    dependencies = [("cohorts", "0006_application_applicant_details")]

    operations = [migrations.RunPython(copy_details_and_convert_applied, migrations.RunPython.noop)]
