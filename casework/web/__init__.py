"""Blueprints by area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from ..extensions import db, login_manager
    from ..models import User
    from .health import bp as health_bp

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    app.register_blueprint(health_bp)
