"""HSTS: off by default; FUPIN_HSTS_SECONDS switches it on, and it is sent on HTTPS
responses (behind the HTTPS proxy) only."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def setting_from_env(**env: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_HSTS", "DJANGO_"))}
    base |= {"FUPIN_TESTING": "1", "DJANGO_SETTINGS_MODULE": "fupin.settings", **env}
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    done = subprocess.run([sys.executable, "-c", code], env=base, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_variables_reach_the_settings():
    assert setting_from_env() == "0 False"
    assert setting_from_env(FUPIN_HSTS_SECONDS="31536000", FUPIN_HSTS_SUBDOMAINS="1") == (
        "31536000 True"
    )


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_sent_on_https_only(world):
    secure = Client().get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in Client().get(reverse("login"))


def test_not_sent_by_default(world):
    assert "Strict-Transport-Security" not in Client().get(reverse("login"), secure=True)
