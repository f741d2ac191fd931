"""The public library, at /library/: no sign-in needed."""

from django.urls import path

from .feeds import LatestOutputsFeed
from .views import library

app_name = "library"

urlpatterns = [
    path("", library.index, name="index"),
    path("feed/", LatestOutputsFeed(), name="feed"),
    path("<int:pk>/", library.detail, name="detail"),
]
