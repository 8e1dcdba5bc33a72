"""The `tdkt` console script: manage.py commands and the production configuration check."""

import os
import secrets
import subprocess
import sys


def _tdkt(*args, env_extra=None, tmp_path=None):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["TDKT_DATA_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "tdkt.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_check_deploy_is_clean_when_configured_for_production(tmp_path):
    result = _tdkt(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        env_extra={
            "TDKT_SECRET_KEY": secrets.token_urlsafe(64),
            "TDKT_ALLOWED_HOSTS": "tdkt.example.gov.vn",
            "TDKT_HTTPS": "1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_https(tmp_path):
    result = _tdkt("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr or "security.W008" in result.stderr


def test_secret_key_is_generated_once_and_reused(tmp_path):
    first = _tdkt(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path
    )
    second = _tdkt(
        "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", tmp_path=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == second.stdout.strip()
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").exists()
