"""The year-end report moved to its own app, reports: forget it here, keep its tables and rows.

Only the model state changes; reports.0001 takes the same tables over and reports.0002 renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('outputs', '0003_output_search_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='yearendreport',
            name='cohort',
        ),
        migrations.RemoveField(
            model_name='yearendreport',
            name='updated_by',
        ),
        migrations.DeleteModel(
            name='HistoricalYearEndReport',
        ),
        migrations.DeleteModel(
            name='YearEndReport',
        ),
                ],
            database_operations=[],
        ),
    ]
