"""What a web worker would otherwise load on its first request that needs it: jieba's
HMM tables and the mapped dictionaries, and the document and table libraries. The gunicorn master loads it once, before forking (deploy/gunicorn.conf.py),
so every worker shares the pages and none stalls on its first request."""

from __future__ import annotations

import importlib

from .search import text

LIBRARIES = ("pandas", "openpyxl", "docx", "docxtpl")


def heavy_modules() -> None:
    text.load()
    for name in LIBRARIES:
        importlib.import_module(name)
