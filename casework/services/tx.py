"""The unit of work: every state change commits once, or not at all. What follows a
commit (jobs, caches, deliveries) is the after-commit pipeline's (casework/pipeline.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows.errors import Conflict

from ..extensions import db

_DEPTH = "transaction_depth"


@contextmanager
def transaction() -> Iterator[None]:
    """Commit on success, roll back on any error. Nested uses join the outermost one, so
    a service can run many others as one all-or-nothing unit (e.g. an import)."""
    session = db.session
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield
        if depth == 0:
            session.commit()
    except StaleDataError:
        _abort(session, depth)
        raise Conflict("该案件刚刚被他人更新，请刷新页面后重试。") from None
    except IntegrityError as exc:
        _abort(session, depth)
        raise Conflict("数据与现有记录冲突，未保存任何更改。") from exc
    except BaseException:
        _abort(session, depth)
        raise
    finally:
        session.info[_DEPTH] = depth


def _abort(session, depth: int) -> None:
    if depth == 0:
        session.rollback()  # drops the pipeline's batch too: nobody hears of it
