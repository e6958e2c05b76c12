import pytest

from casework.config import database_url, ensure_secret_key


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ensure_secret_key({"CASEWORK_ENV": "production"}, str(tmp_path))


def test_development_keeps_a_generated_key(tmp_path):
    first = {"CASEWORK_ENV": "development"}
    ensure_secret_key(first, str(tmp_path))
    second = {"CASEWORK_ENV": "development"}
    ensure_secret_key(second, str(tmp_path))
    assert len(first["SECRET_KEY"]) == 64 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o077 == 0


def test_explicit_key_is_kept(tmp_path):
    config = {"CASEWORK_ENV": "production", "SECRET_KEY": "k"}
    ensure_secret_key(config, str(tmp_path))
    assert config["SECRET_KEY"] == "k"


def test_database_url_defaults_to_sqlite_and_normalises_postgres(tmp_path):
    assert database_url(None, str(tmp_path)) == f"sqlite:///{tmp_path}/casework.sqlite3"
    assert database_url("postgres://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db", "x") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db", "x") == "postgresql+psycopg://u@h/db"


def test_create_app_refuses_in_production(monkeypatch):
    from casework import create_app

    monkeypatch.setenv("CASEWORK_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app()
