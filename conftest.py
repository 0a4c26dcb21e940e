"""Test-run settings shared by every test module."""

import os

os.environ.setdefault("DEPUTYHOME_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
