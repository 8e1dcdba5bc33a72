"""Environment helpers: every setting of tdkt comes from the environment, with an embedded default."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
