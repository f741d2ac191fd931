"""Reminders and risk digests already sent become sent messages in the outbox, under the keys the jobs
now use, so moving to the outbox sends none of them again. Their text was never kept: the copies say so.
"""

from django.db import migrations

NOT_KEPT = "(Sent before the outbox kept copies of messages.)"


def _key(reminder):
    if reminder.event_id:
        return f"reminder:event:{reminder.event_id}:{reminder.recipient_id}"
    if reminder.survey_id:
        return f"reminder:survey:{reminder.survey_id}:{reminder.recipient_id}"
    return f"reminder:step:{reminder.step_id}:{reminder.recipient_id}:{reminder.due_on:%Y-%m-%d}"


def into_outbox(apps, schema_editor):
    Reminder = apps.get_model("pairs", "Reminder")
    RiskDigest = apps.get_model("pairs", "RiskDigest")
    OutboundMessage = apps.get_model("notifications", "OutboundMessage")
    messages = []
    for reminder in Reminder.objects.select_related("recipient").iterator():
        messages.append(
            OutboundMessage(
                key=_key(reminder),
                kind=reminder.kind,
                recipient_id=reminder.recipient_id,
                to=reminder.recipient.email,
                subject=f"{reminder.get_kind_display()} reminder",
                body=NOT_KEPT,
                status="sent",
                attempts=1,
                created_at=reminder.sent_at,
                next_attempt_at=reminder.sent_at,
                last_attempt_at=reminder.sent_at,
                sent_at=reminder.sent_at,
            )
        )
    for digest in RiskDigest.objects.select_related("recipient").iterator():
        messages.append(
            OutboundMessage(
                key=f"risk-digest:{digest.cohort_id}:{digest.recipient_id}:{digest.week}",
                kind="risk_digest",
                recipient_id=digest.recipient_id,
                to=digest.recipient.email,
                subject=f"Pairs at risk, week {digest.week}",
                body=NOT_KEPT,
                status="sent",
                attempts=1,
                created_at=digest.sent_at,
                next_attempt_at=digest.sent_at,
                last_attempt_at=digest.sent_at,
                sent_at=digest.sent_at,
            )
        )
    OutboundMessage.objects.bulk_create(messages, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0005_reminder_survey"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        # Going back leaves the outbox as it is; the old tables come back empty.
        migrations.RunPython(into_outbox, migrations.RunPython.noop),
    ]
