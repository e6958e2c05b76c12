"""Settings, read from the environment in one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("production", "development", "testing")


def database_url(raw: str | None, instance_path: str) -> str:
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'casework.sqlite3'}"
    # psycopg 3 is the driver we ship; accept the URLs people paste.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def from_env(instance_path: str) -> dict:
    env = os.environ.get("CASEWORK_ENV", "production")
    if env not in ENVIRONMENTS:
        raise RuntimeError(f"CASEWORK_ENV must be one of {ENVIRONMENTS}, not {env!r}")
    production = env == "production"
    return {
        "CASEWORK_ENV": env,
        # Cookies only over HTTPS in production (gunicorn behind the office's TLS proxy).
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        # The cookie is sent only when the session changed: a read answered after a write
        # must not set the session it started with (the 8 hours count from the last change).
        "SESSION_REFRESH_EACH_REQUEST": False,
        # A form's token lives as long as the session it belongs to (ended by logout or the
        # lifetime above): Flask-WTF's default hour refused replies that took longer to write.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis is optional at run time: when it is unreachable the limits are counted in
        # this process's memory (flask-limiter logs a warning) and Redis is retried with
        # back-off, instead of every limited page answering 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        # Proxies in front of the app (the office's TLS proxy: 1 in the production units).
        # Their X-Forwarded-For/-Proto entries are believed; a client's own are not.
        "TRUSTED_PROXIES": _count("TRUSTED_PROXIES", 0),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("DATABASE_URL"), instance_path),
        # A PostgreSQL restart or failover leaves dead connections in every process's pool:
        # test each one when it is checked out (one round trip) and replace it if it died,
        # so the first request, job or cron run after the restart does not fail.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Published rates: whole percents as in the seeds, or e.g. 2 for 99.88%.
        "PUBLISH_DECIMALS": int(os.environ.get("PUBLISH_DECIMALS", "0")),
        # 回访: calls not reached are tried again up to this many times in all.
        "CALLBACK_MAX_ATTEMPTS": _count("CALLBACK_MAX_ATTEMPTS", 3),
        # League tables rank only units with at least this many letters in the month.
        "STATS_MIN_CASES": int(os.environ.get("STATS_MIN_CASES", "10")),
        # The 通报: who issues them, their 文号's 代字, to whom, and the office's own .docx
        # templates (default: the GB/T 9704 templates shipped in casework/documents/templates).
        "NOTICE_ISSUER": os.environ.get("NOTICE_ISSUER", "安康市人民政府办公室"),
        "NOTICE_MASTHEAD": os.environ.get("NOTICE_MASTHEAD") or None,
        "NOTICE_CODE": os.environ.get("NOTICE_CODE", "安政办函"),
        "NOTICE_RECIPIENTS": os.environ.get("NOTICE_RECIPIENTS", "各县区人民政府，市政府各工作部门、直属机构"),
        "NOTICE_OFFICE": os.environ.get("NOTICE_OFFICE", "市电子政务办公室"),
        "NOTICE_TEMPLATE_MONTHLY": os.environ.get("NOTICE_TEMPLATE_MONTHLY") or None,
        "NOTICE_TEMPLATE_QUARTERLY": os.environ.get("NOTICE_TEMPLATE_QUARTERLY") or None,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "WEBHOOK_URL": os.environ.get("WEBHOOK_URL") or None,
        **portal_settings(),
        # DEBUG, INFO (one line per request), WARNING, ERROR; the test suite keeps WARNING.
        "LOG_LEVEL": (os.environ.get("LOG_LEVEL") or ("WARNING" if env == "testing" else "INFO")).upper(),
    }


# The public site's name and the footer every government site must carry (主办单位,
# 网站标识码, ICP 备案号, 公安备案号, contact). An empty value leaves its line out.
PORTAL_DEFAULTS = {
    "PORTAL_NAME": "市长信箱",
    "PORTAL_CITY": "",
    "PORTAL_SPONSOR": "",
    "PORTAL_SITE_CODE": "",
    "PORTAL_ICP": "",
    "PORTAL_PSB": "",
    "PORTAL_CONTACT": "",
}


def portal_settings() -> dict:
    return {name: os.environ.get(name, default).strip() for name, default in PORTAL_DEFAULTS.items()}


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise RuntimeError(f"{name} must be a whole number >= 0, not {raw!r}")
    return int(raw)


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.lower() in ("1", "true", "yes", "on")


def ensure_secret_key(config: dict, instance_path: str) -> None:
    """Production refuses to start without SECRET_KEY; development keeps one in instance/."""
    if config.get("SECRET_KEY"):
        return
    env = config.get("CASEWORK_ENV", "production")
    if env == "testing" or config.get("TESTING"):
        config["SECRET_KEY"] = "testing"
        return
    if env == "development" or config.get("DEBUG"):
        path = Path(instance_path) / "dev-secret-key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        config["SECRET_KEY"] = path.read_text().strip()
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set it in the environment (production), or set "
        "CASEWORK_ENV=development to run the demo with a generated key."
    )
