"""Fill the commitment totals cohorts 0014 added to every membership, from attendance and activities.

A frozen copy of pairs.commitment's sums, on this point of the history's models, as data migrations are: the
live code may later read columns these tables do not have yet. From here on every write keeps the totals.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import DecimalField, Exists, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

TOTAL = DecimalField(max_digits=8, decimal_places=2)


def _not_counting(apps, kind_model, *, programme, kind):
    kinds = apps.get_model("programme", kind_model)
    return ~Exists(
        kinds.objects.filter(programme_id=OuterRef(programme), code=OuterRef(kind), counts_towards_commitment=False)
    )


def fill(apps, schema_editor):
    alias = schema_editor.connection.alias
    membership = apps.get_model("cohorts", "Membership")
    attendance = apps.get_model("cohorts", "Attendance")
    attendee = apps.get_model("pairs", "Activity").attendees.through
    days = (
        attendance.objects.using(alias)
        .filter(membership=OuterRef("pk"), status="attended")
        .filter(_not_counting(apps, "eventkind", programme="membership__cohort__programme_id", kind="event__kind"))
        .order_by()
        .values("membership")
        .annotate(total=Sum("event__length_days"))
        .values("total")
    )
    hours = (
        attendee.objects.using(alias)
        .filter(membership=OuterRef("pk"))
        .filter(
            _not_counting(apps, "activitykind", programme="membership__cohort__programme_id", kind="activity__kind")
        )
        .order_by()
        .values("membership")
        .annotate(total=Sum("activity__hours"))
        .values("total")
    )
    zero = Value(Decimal("0"), output_field=TOTAL)
    membership.objects.using(alias).update(
        event_days=Coalesce(Subquery(days, output_field=TOTAL), zero),
        activity_hours=Coalesce(Subquery(hours, output_field=TOTAL), zero),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0014_membership_commitment_totals"),
        ("pairs", "0014_commitment_hours_indexes"),
        ("programme", "0012_export_files"),  # the kinds that say what counts
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
