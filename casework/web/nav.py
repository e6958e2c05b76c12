"""The navigation's counts, once per request."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from .. import clock
from ..queries import nav_counts as cached_counts


def nav_counts() -> dict:
    """Counts for the navigation, once per request; called from base.html (so fragments
    skip it) and by views that can reuse a count."""
    if not current_user.is_authenticated:
        return {}
    if "nav_counts" not in g:
        g.nav_counts = cached_counts.counts(current_user, clock.now())
    return g.nav_counts
