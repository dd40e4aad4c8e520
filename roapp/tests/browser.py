"""What the browser tests share: Debian's Chromium, where screenshots go, and the marks they carry."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"
    ),
]


def admin_login(page, base_url: str, *, username: str, password: str, next_path: str) -> None:
    """Log in through the admin's own form and land on `next_path`."""
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def run_admin_action(page, action: str) -> str:
    """Select every row of the changelist, run `action`, and return the messages shown."""
    page.check("#action-toggle")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    return page.inner_text(".messagelist")
