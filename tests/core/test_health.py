import json
import os
import subprocess
import sys

from django.db import connection


def test_healthz_answers_ok_when_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_healthz_answers_503_when_database_unreachable(tmp_path):
    """A real unreachable database (PostgreSQL on a closed port): the monitor gets 503, not a crash."""
    script = (
        "import django, json; django.setup(); "
        "from django.test import Client; "
        "r = Client().get('/healthz'); "
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tdkt.settings",
        TDKT_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
        TDKT_ALLOWED_HOSTS="testserver",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["status"] == "error"


def test_healthz_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200
