"""The production units as shipped: gunicorn keeps idle connections longer than the
reverse proxy's upstream pool (nginx keeps them up to 60 s), so the proxy always closes
first and never sends a request on a connection gunicorn is closing (a reset, a 502); and
the client address comes from the one proxy in front (TRUSTED_PROXIES=1)."""

import re
import shlex
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent.parent / "deploy"
PROXY_IDLE_SECONDS = 60


def _gunicorn_args() -> list[str]:
    unit = (DEPLOY / "casework-web.service").read_text()
    command = re.search(r"^ExecStart=(.*?gunicorn.*?)(?<!\\)$", unit.replace("\\\n", " "), re.M).group(1)
    return shlex.split(command)


def test_gunicorn_keeps_connections_longer_than_the_proxy():
    args = _gunicorn_args()
    assert "--keep-alive" in args, "gunicorn's default keep-alive is 2 s"
    assert int(args[args.index("--keep-alive") + 1]) > PROXY_IDLE_SECONDS
    assert "--threads" in args  # gthread: the worker class that keeps connections alive


def test_the_production_environment_trusts_one_proxy():
    env = (DEPLOY / "casework.env.example").read_text()
    assert re.search(r"^TRUSTED_PROXIES=1$", env, re.M)
    assert "127.0.0.1:8000" in " ".join(_gunicorn_args())  # reachable only through the proxy
