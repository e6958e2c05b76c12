"""What every public page shares: the site's navigation and its PORTAL_* settings."""

from __future__ import annotations

from flask import current_app

# The public site's navigation: (endpoint, label, the endpoints it is current on).
PUBLIC_NAV = (
    ("letters.new", "写信", {"letters.new", "letters.submitted"}),
    ("letters.query", "查询", {"letters.query", "letters.progress", "letters.rate"}),
    ("letters.index", "公开信件", {"letters.index", "letters.show"}),
    ("knowledge.search", "知识库", {"knowledge.search", "knowledge.entry"}),
    ("public_stats.show", "统计", {"public_stats.show"}),
)


def portal() -> dict:
    """The PORTAL_* settings, named as the templates use them."""
    return {key[len("PORTAL_"):].lower(): value for key, value in current_app.config.items()
            if key.startswith("PORTAL_")}
