from django.urls import path, register_converter

from .views import calendars, events, insights, recruitment, register, surveys

app_name = "cohorts"


class CalendarTokenConverter:
    """A calendar token as issued (URL-safe base64): anything else, a NUL byte included, finds no page."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CalendarTokenConverter, "calendar_token")

urlpatterns = [
    path("<int:cohort_pk>/apply/", recruitment.apply, name="apply"),
    path("<int:cohort_pk>/apply/received/", recruitment.apply_received, name="apply-received"),
    path("<int:cohort_pk>/applications/", recruitment.application_list, name="application-list"),
    path("applications/<int:pk>/", recruitment.application_detail, name="application-detail"),
    path("switch/", recruitment.cohort_switch, name="switch"),
    path("events/", events.events_home, name="events"),
    path("<int:cohort_pk>/events/", events.event_list, name="event-list"),
    path("<int:cohort_pk>/events/new/", events.event_create_view, name="event-create"),
    path("<int:cohort_pk>/insights/", register.insight_list, name="insight-list"),
    path("<int:cohort_pk>/insights/<int:pk>/edit/", insights.insight_edit, name="insight-edit"),
    path("<int:cohort_pk>/insights/<int:pk>/delete/", insights.insight_remove, name="insight-delete"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/cancel/", events.event_cancel_view, name="event-cancel"),
    path("events/<int:pk>/reply/", events.event_reply, name="event-reply"),
    path("events/<int:pk>/event.ics", calendars.event_ics, name="event-ics"),
    path("events/<int:pk>/guests/new/", events.guest_add_view, name="guest-add"),
    path("events/<int:pk>/guests/<int:guest_pk>/remove/", events.guest_remove_view, name="guest-remove"),
    path("events/<int:pk>/attendance/", register.attendance_register, name="attendance-register"),
    path("events/<int:pk>/attendance/<int:membership_pk>/", register.attendance_toggle, name="attendance-toggle"),
    path("events/<int:pk>/insights/new/", register.insight_create, name="insight-create"),
    path("calendar/", calendars.calendar_settings, name="calendar-settings"),
    path("calendar/reset/", calendars.calendar_reset, name="calendar-reset"),
    path("calendar/<calendar_token:token>.ics", calendars.calendar_feed, name="calendar-feed"),
    path("surveys/", surveys.surveys_home, name="surveys"),
    path("<int:cohort_pk>/surveys/", surveys.survey_list, name="survey-list"),
    path("<int:cohort_pk>/surveys/new/", surveys.survey_create_view, name="survey-create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", surveys.survey_edit, name="survey-edit"),
    path("surveys/<int:pk>/questions/new/", surveys.question_add, name="survey-question-add"),
    path("surveys/<int:pk>/questions/<int:question_pk>/edit/", surveys.question_edit, name="survey-question-edit"),
    path("surveys/<int:pk>/questions/<int:question_pk>/move/", surveys.question_move, name="survey-question-move"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/", surveys.question_delete, name="survey-question-delete"
    ),
    path("surveys/<int:pk>/results/", surveys.survey_results_view, name="survey-results"),
    path("surveys/<int:pk>/remind/", surveys.survey_remind, name="survey-remind"),
    path("surveys/<int:pk>/results.csv", surveys.survey_export, name="survey-export"),
    path("surveys/<int:pk>/answer/", surveys.survey_answer, name="survey-answer"),
]
