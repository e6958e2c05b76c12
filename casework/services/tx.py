"""The unit of work: every state change commits once, or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows.errors import Conflict

from ..extensions import db

_HOOKS = "after_commit_hooks"
_DEPTH = "transaction_depth"


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` once the current transaction has committed (e.g. enqueue a job), so a
    worker never looks for a row that is not there yet."""
    db.session.info.setdefault(_HOOKS, []).append(fn)


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
    if depth == 0:
        for hook in session.info.pop(_HOOKS, []):
            hook()


def _abort(session, depth: int) -> None:
    if depth == 0:
        session.rollback()
        session.info.pop(_HOOKS, None)
