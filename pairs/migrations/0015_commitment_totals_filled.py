"""Fill the commitment totals cohorts 0014 added to every membership, from attendance and activities."""

from django.db import migrations


def fill(apps, schema_editor):
    # The live rule, not a copy of it in this file: it reads only columns that exist at this point of the history.
    from pairs.commitment import commitment_totals_refresh_all

    commitment_totals_refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0014_membership_commitment_totals"),
        ("pairs", "0014_commitment_hours_indexes"),
        ("programme", "0012_export_files"),  # the kinds that say what counts
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
