"""Test settings: production settings with the few differences a test run needs."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("UNDERSIGNED_VAR_DIR", os.path.join(tempfile.gettempdir(), "undersigned-test-var"))

from undersigned.settings import *  # noqa: F403

# Tests run on SQLite in memory (Django's choice for an empty TEST NAME) unless SQLITE_TEST_NAME
# names a file. pytest-django gives each xdist worker a database of its own by suffixing TEST
# NAME, and knows an empty name means memory only for the engine "django.db.backends.sqlite3";
# for ours it would make up a file name. ":memory:" is the same database, and is left alone.
if DATABASES["default"]["ENGINE"] == "undersigned.db.sqlite":
    DATABASES["default"]["TEST"]["NAME"] = DATABASES["default"]["TEST"]["NAME"] or ":memory:"

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Deterministic tests: a request's checkpoint exists when it answers.
LOG_INTEGRATION = "inline"
# Mail is queued and sent in the same process, so tests see it in django.core.mail.outbox.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Low enough that a test can reach it quickly; conftest clears the counters before each test.
API_RATE_ANONYMOUS = "60/m"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Kept PDFs go to a directory of this run's own, removed when it ends.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="undersigned-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# WhiteNoise looks for collected files at start-up; tests serve none.
os.makedirs(STATIC_ROOT, exist_ok=True)
