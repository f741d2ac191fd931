"""Test settings: the real settings with a fast hasher and a temporary media folder."""

import tempfile
from pathlib import Path

from programme.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pairwise-test-media-"))
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pairwise-test-static-"))
# Tasks run at once, in the test's own thread, when their transaction commits.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# No report HTML kept between tests (a test that changes pandoc's behaviour must see it run);
# tests/reports/test_pipeline.py turns the cache on where it tests it. Nor library pages (a test's rows
# roll back, its version number with them): tests/outputs/test_library_cache.py turns that cache on.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "report_html": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Built afresh on every view (exact query counts); tests/reports/test_stamp.py turns it on.
    "report_preview": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "library_html": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
