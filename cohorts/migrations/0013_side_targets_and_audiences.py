"""A cohort's recruitment targets become one number per side of its programme, keyed by the side's code; the
two fixed targets (policymakers, practitioners) move into it. A survey question's audience becomes "all" or
any side's code."""

from django.db import migrations, models


def targets_by_side(apps, schema_editor):
    Cohort = apps.get_model("cohorts", "Cohort")
    for cohort in Cohort.objects.all():
        targets = {"policymaker": cohort.policymaker_target, "practitioner": cohort.practitioner_target}
        cohort.side_targets = {code: target for code, target in targets.items() if target}
        cohort.save(update_fields=["side_targets"])


def targets_back(apps, schema_editor):
    Cohort = apps.get_model("cohorts", "Cohort")
    for cohort in Cohort.objects.all():
        cohort.policymaker_target = int(cohort.side_targets.get("policymaker") or 0)
        cohort.practitioner_target = int(cohort.side_targets.get("practitioner") or 0)
        cohort.save(update_fields=["policymaker_target", "practitioner_target"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0012_wording_without_fixed_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="side_targets",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="How many people of each side the cohort aims to take, by the side's code (none or 0: "
                "no target).",
                verbose_name="targets by side",
            ),
        ),
        migrations.RunPython(targets_by_side, targets_back),
        migrations.RemoveField(model_name="cohort", name="policymaker_target"),
        migrations.RemoveField(model_name="cohort", name="practitioner_target"),
        migrations.AlterField(
            model_name="surveyquestion",
            name="audience",
            field=models.CharField(
                default="all", help_text='"all", or the code of the one side asked this question.', max_length=32
            ),
        ),
    ]
