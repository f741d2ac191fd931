"""The 2015-16 cohort, recruiting: an open call (demo/data/recruitment.yaml) with a dozen applications,
submitted and decided through the recruitment services."""

from __future__ import annotations

from datetime import date

from cohorts.models import Application, Cohort
from cohorts.recruitment import (
    application_accept,
    application_decline,
    application_shortlist,
    application_submit,
    application_waitlist,
)
from notifications.models import OutboundMessage
from programme.models import Organisation, Programme, User

from .content import DEMO_EMAIL_DOMAIN, read
from .loading_work import at_time, days_from

DECIDE = {
    "shortlisted": application_shortlist,
    "waitlisted": application_waitlist,
    "declined": application_decline,
}


def load_year3(
    programme: Programme, organisations: dict[str, Organisation], people: dict[str, User], *, today: date
) -> Cohort:
    """Open the 2015-16 call and fill it with applications in every state of selection."""
    data = read("recruitment")
    call = data["cohort"]
    cohort = Cohort(
        programme=programme,
        name=str(call["name"]),
        number=call["number"],
        starts_on=days_from(today, call["starts"]),
        ends_on=days_from(today, call["ends"]),
        applications_open_on=days_from(today, call["applications_open"]),
        applications_close_on=days_from(today, call["applications_close"]),
        status=Cohort.Status.RECRUITING,
        side_targets=dict(call["side_targets"]),
        application_questions=call["question"],
    )
    cohort.full_clean()
    cohort.save()
    cohort.targeted_departments.set([organisations[name] for name in data["targeted_departments"]])
    manager = people["manager"]
    for n, row in enumerate(data["applicants"]):
        organisation = organisations[row["organisation"]]
        application = application_submit(
            cohort=cohort,
            full_name=row["name"],
            email=f"{row['name'].lower().replace(' ', '.')}@{DEMO_EMAIL_DOMAIN}",
            organisation=organisation,
            sector=organisation.sector,
            side=row["side"],
            job_title=row["job_title"],
            motivation=row["motivation"],
            answers=[{"question": call["question"], "answer": row["motivation"]}],
            today=today,
        )
        # Spread the submissions over the call's first weeks, as a real call fills.
        submitted = at_time(days_from(today, call["applications_open"] + 2 * n), 10 + n % 6)
        Application.objects.filter(pk=application.pk).update(submitted_at=submitted)
        if row["decision"] == "accepted":
            application_accept(application=application, by=manager)
        elif row["decision"] in DECIDE:
            DECIDE[row["decision"]](application=application, by=manager)
    # The demo's people have made-up addresses: keep its letters and invitations out of the outbox.
    OutboundMessage.objects.filter(to__iendswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    return cohort
