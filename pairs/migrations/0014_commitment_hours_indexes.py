"""Indexes for commitment's hours per member (pairs.commitment): the activities a member went on and each
one's kind and hours, read from two indexes instead of the wide activity rows (learning, private notes).

The covering index (INCLUDE) is PostgreSQL's; on SQLite the member-first index alone is made. The
attendees table is the one Django makes for Activity.attendees, so its index is plain SQL, not model state.
"""

from django.db import migrations

ATTENDEES_INDEX = "activity_attendees_by_member"
ACTIVITY_INDEX = "activity_hours_by_id"


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX {ATTENDEES_INDEX} ON pairs_activity_attendees (membership_id, activity_id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {ACTIVITY_INDEX} ON pairs_activity (id) INCLUDE (kind, hours)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {ATTENDEES_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {ACTIVITY_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("pairs", "0013_activity_by_kind_and_date")]

    operations = [migrations.RunPython(create, drop)]
