from django.apps import AppConfig


class PairsConfig(AppConfig):
    name = "pairs"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from programme.shape import register_usage

        from .commitment import connect_commitment_totals
        from .models import Activity, LearningPair
        from .models.pairs import remember_pair_cohort

        post_save.connect(remember_pair_cohort, sender=LearningPair, dispatch_uid="pair_cohort_remembered")
        connect_commitment_totals()

        register_usage(
            "activitykind",
            lambda programme_id, code: Activity.objects.filter(
                pair__cohort__programme_id=programme_id, kind=code
            ).exists(),
        )
        register_usage("refiningstep", _step_in_use)


def _step_in_use(programme_id: int, code: str) -> bool:
    """Progress and deadlines store a step's number, so a step is in use when its number is."""
    from programme.models import RefiningStep

    from .models import StepDeadline, StepProgress

    number = RefiningStep.objects.filter(programme_id=programme_id, code=code).values_list("order", flat=True).first()
    if number is None:
        return False
    return (
        StepProgress.objects.filter(pair__cohort__programme_id=programme_id, step=number)
        .exclude(status=StepProgress.Status.NOT_STARTED)
        .exists()
        or StepDeadline.objects.filter(cohort__programme_id=programme_id, step=number).exists()
    )
