"""The unit of work: every state change commits once, or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows.errors import Conflict

from ..extensions import db

_HOOKS = "after_commit_hooks"


def after_commit(fn: Callable[[], None]) -> None:
    """Run `fn` once the current transaction has committed (e.g. enqueue a job), so a
    worker never looks for a row that is not there yet."""
    db.session.info.setdefault(_HOOKS, []).append(fn)


@contextmanager
def transaction() -> Iterator[None]:
    session = db.session
    try:
        yield
        session.commit()
    except StaleDataError:
        session.rollback()
        session.info.pop(_HOOKS, None)
        raise Conflict("该案件刚刚被他人更新，请刷新页面后重试。") from None
    except IntegrityError as exc:
        session.rollback()
        session.info.pop(_HOOKS, None)
        raise Conflict("数据与现有记录冲突，未保存任何更改。") from exc
    except BaseException:
        session.rollback()
        session.info.pop(_HOOKS, None)
        raise
    for hook in session.info.pop(_HOOKS, []):
        hook()
