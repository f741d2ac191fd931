"""Cohort pages: events and replies, the attendance register and insights, and calendars."""
