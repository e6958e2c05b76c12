"""The writer's words for a letter's states and steps, and the Chinese search tokens."""

from types import SimpleNamespace

import pytest

from casework.text_search import index_tokens, query_tokens
from workflows import citizen


def case(state, close_reason=None, acknowledged=None):
    return SimpleNamespace(state=state, close_reason=close_reason, acknowledged_at=acknowledged)


@pytest.mark.parametrize("state, reason, acknowledged, label", [
    ("opened", None, None, "已受理"),
    ("assigned", None, None, "已转办"),
    ("assigned", None, "2026-03-02", "办理中"),
    ("returned", None, "2026-03-02", "办理中"),
    ("replied", None, "2026-03-02", "办理中"),  # not yet accepted: not an answer
    ("approving", None, None, "办理中"),
    ("suspended", None, None, "办理中"),
    ("reviewed", None, None, "已答复"),
    ("closed", "accepted", None, "已办结"),
    ("closed", "dismissed", None, "不予受理"),
    ("closed", "merged", None, "已合并"),
])
def test_states_in_citizens_words(state, reason, acknowledged, label):
    c = case(state, reason, acknowledged)
    assert citizen.state(c) == label
    assert citizen.reply_accepted(c) == (state == "reviewed" or reason == "accepted")


def test_internal_steps_are_not_the_writers():
    for event in ("reply", "submit_reply", "reject_draft", "return_reply", "mark_overdue", "escalate",
                  "request_extension", "reject_assignment", "unpublish_answer"):
        assert citizen.step(event, {}) is None, event
    assert citizen.step("assign", {"unit_name": "紫阳县人民政府"}) == "已转交紫阳县人民政府办理"
    assert citizen.step("dismiss", {"reason": "out_of_scope"}) == "不予受理：不属于受理范围"
    assert citizen.step("merge", {"primary": "XJ-2026-000001"}).startswith("与同一诉求的来信 XJ-2026-000001")
    assert citizen.step("extend", {"due_at": "2026-03-10T16:00:00+00:00"}) == "办理期限延长至 2026-03-10"
    assert citizen.step("decide_extension", {"approved": False}) is None


def test_same_day_is_said_in_words():
    assert citizen.handling_text(0) == "当日办结"
    assert citizen.handling_text(3) == "3 个工作日"
    assert citizen.handling_text(None) == "—"
    assert citizen.limit_text(0) == "当日" and citizen.limit_text(5) == "5 个工作日内"
    assert citizen.after_dispatch(5) == "派单后 5 个工作日内" and citizen.after_dispatch(0) == "派单后当日"


def test_search_tokens_are_han_bigrams_and_words():
    assert index_tokens("新桥社区停水", "G65 高速") == ["新桥", "桥社", "社区", "区停", "停水", "g65", "高速"]
    assert index_tokens("停水停水") == ["停水", "水停"]  # distinct
    assert query_tokens("社区，停水！") == ["社区", "停水"]
    assert query_tokens("水") is None and query_tokens("  ") is None
    assert query_tokens("5G") == ["5g"]
    assert len(query_tokens("长" * 10 + "".join(chr(0x4e00 + i) for i in range(100)))) == 32
