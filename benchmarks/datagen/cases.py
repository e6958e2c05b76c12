"""Cases and their history as numpy columns, one chunk at a time.

Closed cases are spread over the years before `now`; open ones were received in the
last 30 days (the benchmarks ask for a large open share). Limits, due dates, late
replies, returns, overdue marking, reminders and escalation follow the real policy and
calendar, vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .workdays import Workdays

DAY, HOUR = 86_400, 3_600
TZ_OFFSET = 8 * HOUR
TYPES = np.array(["letter", "finding", "policy"])
PREFIX = np.array(["XJ", "ZG", "JD"])
CHANNELS = np.array(["web", "phone", "zhaocuo", "other"])
CATEGORIES = np.array(["consultation", "help", "complaint", "report", "suggestion", "urgent"])
CATEGORY_DAYS = np.array([5, 5, 15, 15, 15, 0])
OPEN_STATES = np.array(["opened", "assigned", "approving", "returned", "suspended", "replied", "reviewed"])
OPEN_SHARES = [0.05, 0.60, 0.01, 0.10, 0.02, 0.18, 0.04]
SUBJECTS = ["城关镇自来水频繁停水", "咨询孩子入学需要哪些材料", "小区附近夜间施工噪音扰民", "身份证丢失如何补办",
            "建议增开公交线路", "医保异地就医备案咨询", "公积金提取申请进度", "网站办事指南链接打不开",
            "农民工工资被拖欠", "举报无证经营的餐馆", "雨后道路积水严重", "路灯不亮存在安全隐患",
            "养老保险缴费年限咨询", "高速出口交通拥堵", "不动产登记办理时限", "网站栏目更新不及时"]
SURNAMES = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))


def local_day(t: np.ndarray) -> np.ndarray:
    return (t + TZ_OFFSET) // DAY


def end_of_day(day: np.ndarray) -> np.ndarray:
    return (day + 1) * DAY - TZ_OFFSET


@dataclass
class Chunk:
    cols: dict[str, np.ndarray]   # case columns (epoch seconds, -1 = NULL for times)
    events: dict[str, np.ndarray]
    replies: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]


class CaseGenerator:
    def __init__(self, n: int, open_n: int, newly_overdue: int, now: int, years: int,
                 n_units: int, seed: int, workdays: Workdays):
        self.rng = np.random.default_rng(seed)
        self.n, self.open_n, self.newly, self.now = n, open_n, newly_overdue, now
        self.wd = workdays
        closed_n = n - open_n
        start = now - years * 365 * DAY
        recv = np.concatenate([self.rng.integers(start, now - 30 * DAY, closed_n),
                               self.rng.integers(now - 30 * DAY, now - HOUR, open_n)])
        self.order = np.argsort(recv, kind="stable")
        self.received = recv[self.order]
        self.is_open = (self.order >= closed_n)
        # A few big units get most letters (Zipf-like), as in real hotlines.
        weights = 1 / np.arange(1, n_units + 1) ** 0.8
        self.unit_p = weights / weights.sum()
        self.n_units = n_units
        self.seq: dict[tuple[str, int], int] = {}
        # Which open running cases with a past due date are not marked yet.
        self.newly_left = newly_overdue

    def chunks(self, size: int):
        for lo in range(0, self.n, size):
            yield self._chunk(lo, min(lo + size, self.n))

    def _numbers(self, type_code: np.ndarray, received: np.ndarray) -> np.ndarray:
        year = (received + TZ_OFFSET).astype("datetime64[s]").astype("datetime64[Y]").astype(int) + 1970
        out = np.empty(len(type_code), dtype=object)
        for t in range(3):
            for y in np.unique(year[type_code == t]):
                mask = (type_code == t) & (year == y)
                start = self.seq.get((PREFIX[t], y), 0)
                seq = np.arange(start + 1, start + 1 + mask.sum())
                self.seq[(PREFIX[t], y)] = start + mask.sum()
                out[mask] = [f"{PREFIX[t]}-{y}-{s:06d}" for s in seq]
        return out

    def _chunk(self, lo: int, hi: int) -> Chunk:
        rng, wd, now = self.rng, self.wd, self.now
        m = hi - lo
        ids = np.arange(lo + 1, hi + 1)
        received = self.received[lo:hi]
        is_open = self.is_open[lo:hi]
        type_code = rng.choice(3, m, p=[0.85, 0.12, 0.03])
        letter = type_code == 0
        category = np.where(letter, rng.choice(6, m, p=[0.35, 0.25, 0.2, 0.07, 0.1, 0.03]), -1)
        channel = np.where(letter, rng.choice(4, m, p=[0.45, 0.45, 0.05, 0.05]), -1)
        limit = np.where(letter, CATEGORY_DAYS[np.maximum(category, 0)], np.where(type_code == 1, 6, 3))
        limit = np.where(channel == 2, 2, limit)
        unit = rng.choice(self.n_units, m, p=self.unit_p) + 1

        state = np.where(is_open, OPEN_STATES[rng.choice(7, m, p=OPEN_SHARES)], "closed")
        closed_kind = np.where(is_open, "", rng.choice(np.array(["accepted", "dismissed", "merged"]), m,
                                                       p=[0.95, 0.03, 0.02]))
        assigned = (state != "opened") & (closed_kind != "dismissed") & (closed_kind != "merged")
        assigned_at = np.where(assigned, received + rng.integers(HOUR, 30 * HOUR, m), -1)
        start_day = local_day(assigned_at)
        due_day = wd.add(start_day, np.maximum(limit, 1))
        due_at = np.where(assigned, end_of_day(due_day), -1)

        returned = assigned & (rng.random(m) < 0.08) & ~np.isin(state, ["assigned", "approving"])
        returned |= state == "returned"
        replied = assigned & ~np.isin(state, ["assigned", "approving", "suspended"])
        span = np.maximum(limit, 1) * DAY * 1.25
        reply1 = np.where(replied, assigned_at + (rng.random(m) * 1.05 + 0.2) * span, -1).astype(np.int64)
        return_at = np.where(returned, reply1 + rng.integers(2 * HOUR, 2 * DAY, m), -1)
        return_due = np.where(returned, end_of_day(wd.add(local_day(return_at), 3)), -1)
        reply2 = np.where(returned & (state != "returned"), return_at + rng.integers(HOUR, 4 * DAY, m), -1)
        last_reply = np.where(reply2 > 0, reply2, reply1)
        accepted = replied & np.isin(state, ["reviewed", "closed"])
        accept_at = np.where(accepted, last_reply + rng.integers(2 * HOUR, 3 * DAY, m), -1)
        closed_at = np.where(state == "closed", np.where(accepted, accept_at + rng.integers(60, 2 * HOUR, m),
                                                         received + rng.integers(HOUR, DAY, m)), -1)
        # Open cases live in the recent past: keep every timestamp before `now`.
        for arr in (reply1, return_at, reply2, accept_at, closed_at):
            np.minimum(arr, now - 60, out=arr, where=arr > 0)
        last_reply = np.where(reply2 > 0, reply2, reply1)

        running = np.isin(state, ["assigned", "approving", "returned"])
        current_due = np.where(state == "returned", return_due, due_at)
        late = ((reply1 > due_at) & (reply1 > 0)) | ((reply2 > return_due) & (reply2 > 0))
        past_due = running & (current_due <= now)
        newly = np.zeros(m, dtype=bool)
        if self.newly_left and past_due.any():
            # The ones that fell due most recently: what a reconciliation run every few
            # minutes finds unmarked in steady state.
            candidates = np.flatnonzero(past_due)
            take = candidates[np.argsort(-current_due[candidates], kind="stable")][: self.newly_left]
            newly[take] = True
            self.newly_left -= len(take)
        overdue = late | (past_due & ~newly)
        escalate_at = np.where(running, end_of_day(wd.add(local_day(current_due - 1), 2)), -1)
        remind_at = np.where(running, wd.previous(local_day(current_due - 1)) * DAY - TZ_OFFSET + 8 * HOUR + 30 * 60, -1)
        remind_at = np.where(remind_at < current_due, remind_at, -1)

        cols = {
            "id": ids, "number": self._numbers(type_code, received), "type": TYPES[type_code],
            "category": np.where(letter, CATEGORIES[np.maximum(category, 0)], None),
            "channel": np.where(letter, CHANNELS[np.maximum(channel, 0)],
                                np.where(type_code == 1, "inspection", "other")),
            "subject": np.array(SUBJECTS, dtype=object)[rng.integers(0, len(SUBJECTS), m)],
            "body": np.array(SUBJECTS, dtype=object)[rng.integers(0, len(SUBJECTS), m)] + "，请有关部门尽快核实处理并答复。",
            "citizen_name": np.where(letter, SURNAMES[rng.integers(0, len(SURNAMES), m)] + "先生", None),
            "citizen_phone": np.where(letter, np.char.add("139", rng.integers(10**7, 10**8, m).astype(str)), None),
            "state": state,
            "unit_id": np.where(assigned | np.isin(state, ["replied", "reviewed", "suspended"]), unit, -1),
            "received_at": received, "assigned_at": assigned_at,
            "acknowledged_at": np.where(assigned & (rng.random(m) < 0.7), assigned_at + 2 * HOUR, -1),
            "clock_start": np.where(state == "returned", return_at, assigned_at),
            "clock_days": np.where(assigned, np.where(state == "returned", 3, limit), -1),
            "due_at": np.where(state == "returned", return_due, due_at),
            "replied_at": np.where(np.isin(state, ["replied", "reviewed", "closed"]), last_reply, -1),
            "reviewed_at": accept_at, "closed_at": closed_at,
            "close_reason": np.where(state == "closed", closed_kind, None),
            "remind_at": remind_at,
            "reminded_at": np.where((remind_at > 0) & (remind_at < now) & ~newly, remind_at, -1),
            "escalate_at": escalate_at,
            "escalated_at": np.where(overdue & running & (escalate_at < now), escalate_at, -1),
            "overdue": overdue,
            "overdue_at": np.where(overdue, np.where(state == "returned", return_due, due_at), -1),
            "on_time": np.where(accepted, ~late, None),
            "handling_days": np.where(accepted, wd.between(local_day(received), local_day(last_reply)), -1),
            "return_count": returned.astype(int),
            "version": 1 + assigned + replied + returned * 2 + accepted + (state == "closed"),
        }
        events = _events(ids, cols, received, assigned_at, reply1, return_at, reply2, accept_at,
                         closed_at, overdue, closed_kind, state, rng)
        replies, reviews = _replies(ids, reply1, return_at, reply2, accept_at, returned, accepted, state)
        return Chunk(cols, events, replies, reviews)


def _events(ids, cols, received, assigned_at, reply1, return_at, reply2, accept_at, closed_at,
            overdue, closed_kind, state, rng) -> dict[str, np.ndarray]:
    parts = []

    def add(mask, name, at, from_state, to_state):
        parts.append((ids[mask], np.full(mask.sum(), name, dtype=object), at[mask],
                      np.full(mask.sum(), from_state, dtype=object), np.full(mask.sum(), to_state, dtype=object)))

    everyone = np.ones(len(ids), dtype=bool)
    add(everyone, "create", received, None, "opened")
    add(assigned_at > 0, "assign", assigned_at, "opened", "assigned")
    add(cols["acknowledged_at"] > 0, "acknowledge", cols["acknowledged_at"], "assigned", "assigned")
    add(reply1 > 0, "reply", reply1, "assigned", "replied")
    add(return_at > 0, "return_reply", return_at, "replied", "returned")
    add(reply2 > 0, "reply", reply2, "returned", "replied")
    add(overdue & (cols["overdue_at"] > 0), "mark_overdue", cols["overdue_at"], "assigned", "assigned")
    add(accept_at > 0, "accept", accept_at, "replied", "reviewed")
    add((closed_at > 0) & (closed_kind == "accepted"), "close", closed_at, "reviewed", "closed")
    add(closed_kind == "dismissed", "dismiss", closed_at, "opened", "closed")
    add(closed_kind == "merged", "merge", closed_at, "opened", "closed")
    return {"case_id": np.concatenate([p[0] for p in parts]),
            "event": np.concatenate([p[1] for p in parts]),
            "at": np.concatenate([p[2] for p in parts]),
            "from_state": np.concatenate([p[3] for p in parts]),
            "to_state": np.concatenate([p[4] for p in parts])}


def _replies(ids, reply1, return_at, reply2, accept_at, returned, accepted, state):
    first = reply1 > 0
    second = reply2 > 0
    status1 = np.where(returned, "returned", np.where(accepted & ~second, "accepted", "submitted"))
    status2 = np.where(accepted, "accepted", "submitted")
    replies = {
        "case_id": np.concatenate([ids[first], ids[second]]),
        "attempt": np.concatenate([np.ones(first.sum(), int), np.full(second.sum(), 2)]),
        "status": np.concatenate([status1[first], status2[second]]),
        "submitted_at": np.concatenate([reply1[first], reply2[second]]),
    }
    # Reviews: a return on the first reply, an acceptance on the last one.
    reviews = {
        "case_id": np.concatenate([ids[first & returned], ids[accepted]]),
        "attempt": np.concatenate([np.ones((first & returned).sum(), int),
                                   np.where(second[accepted], 2, 1)]),
        "verdict": np.concatenate([np.full((first & returned).sum(), "return", dtype=object),
                                   np.full(accepted.sum(), "accept", dtype=object)]),
        "reason": np.concatenate([np.full((first & returned).sum(), "buck_passing", dtype=object),
                                  np.full(accepted.sum(), None, dtype=object)]),
        "at": np.concatenate([return_at[first & returned], accept_at[accepted]]),
    }
    return replies, reviews
