from django.urls import path

from .views import calendars, events, register

app_name = "cohorts"

urlpatterns = [
    path("events/", events.events_home, name="events"),
    path("<int:cohort_pk>/events/", events.event_list, name="event-list"),
    path("<int:cohort_pk>/events/new/", events.event_create_view, name="event-create"),
    path("<int:cohort_pk>/insights/", register.insight_list, name="insight-list"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/reply/", events.event_reply, name="event-reply"),
    path("events/<int:pk>/event.ics", calendars.event_ics, name="event-ics"),
    path("events/<int:pk>/guests/new/", events.guest_add_view, name="guest-add"),
    path("events/<int:pk>/guests/<int:guest_pk>/remove/", events.guest_remove_view, name="guest-remove"),
    path("events/<int:pk>/attendance/", register.attendance_register, name="attendance-register"),
    path("events/<int:pk>/attendance/<int:membership_pk>/", register.attendance_toggle, name="attendance-toggle"),
    path("events/<int:pk>/insights/new/", register.insight_create, name="insight-create"),
    path("calendar/", calendars.calendar_settings, name="calendar-settings"),
    path("calendar/reset/", calendars.calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", calendars.calendar_feed, name="calendar-feed"),
]
