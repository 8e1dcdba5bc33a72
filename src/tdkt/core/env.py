"""Environment helpers: every setting of tdkt comes from the environment, with an embedded default."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs
from django.core.exceptions import ImproperlyConfigured

_YES = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in _YES


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The folder that holds the SQLite database, uploads and the generated secret key."""
    path = Path(os.environ.get("TDKT_DATA_DIR") or platformdirs.user_data_dir("tdkt", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    # collected static files live here in production; WhiteNoise also serves from the app folders
    (path / "static").mkdir(exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """TDKT_SECRET_KEY (or SECRET_KEY) when set; otherwise a key generated once and kept in the data dir."""
    key = os.environ.get("TDKT_SECRET_KEY") or os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


DEFAULT_SITE_URL = "http://127.0.0.1:8000"
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def email_settings() -> dict:
    """Django's e-mail settings from TDKT_EMAIL_URL, TDKT_EMAIL_FROM and TDKT_SITE_URL.

    TDKT_EMAIL_URL: `smtp://user:password@host:587?tls=1` (STARTTLS), `smtps://user:password@host`
    (TLS from the first byte, port 465), `console://` (mails printed by the worker: the demo); user and
    password percent-encoded; `?timeout=20` seconds (default 10). Unset: e-mail is off (notifications
    stay in-app only). `TDKT_EMAIL_ENABLED` says which; `TDKT_SITE_URL` is the absolute base of links
    in mails. A malformed value stops start-up naming the variable, never echoing the password."""
    site = env_str("TDKT_SITE_URL", DEFAULT_SITE_URL).strip().rstrip("/") or DEFAULT_SITE_URL
    if urlsplit(site).scheme not in ("http", "https") or not urlsplit(site).netloc:
        raise ImproperlyConfigured(
            "TDKT_SITE_URL must be an absolute http(s) address, e.g. https://tdkt.example.gov.vn"
        )
    sender = env_str("TDKT_EMAIL_FROM").strip() or "tdkt@localhost"
    result: dict = {
        "TDKT_EMAIL_ENABLED": False,
        "TDKT_SITE_URL": site,
        "DEFAULT_FROM_EMAIL": sender,
        "SERVER_EMAIL": sender,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }
    raw = env_str("TDKT_EMAIL_URL").strip()
    if not raw:
        return result
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TDKT_EMAIL_URL is not a valid address (smtp://user:password@host:587?tls=1)"
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in _EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"TDKT_EMAIL_URL: unknown scheme {scheme!r}; use smtp://, smtps://, console:// or locmem://"
        )
    query = {k: v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
    result["TDKT_EMAIL_ENABLED"] = True
    result["EMAIL_BACKEND"] = _EMAIL_BACKENDS[scheme]
    if scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured("TDKT_EMAIL_URL: the mail server's host name is missing")
        use_ssl = scheme == "smtps" or query.get("ssl") in _YES
        use_tls = query.get("tls") in _YES or query.get("starttls") in _YES
        if use_ssl and use_tls:
            raise ImproperlyConfigured("TDKT_EMAIL_URL: choose smtps:// (TLS) or ?tls=1 (STARTTLS), not both")
        timeout = query.get("timeout", "10")
        if not timeout.isdigit() or int(timeout) == 0:
            raise ImproperlyConfigured("TDKT_EMAIL_URL: ?timeout= must be a whole number of seconds")
        result.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=use_tls,
            EMAIL_USE_SSL=use_ssl,
            EMAIL_TIMEOUT=int(timeout),
        )
    return result
