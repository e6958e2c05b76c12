"""The public list of published letters (/letters) on 1,000,000 published letters:
browsing, filters by unit, category and month, and Chinese search, through gunicorn,
next to the bare SQL of the same page measured in the same run.

The bare SQL is not written twice: each page is rendered once in-process while
SQLAlchemy's cursor events record the statements it sends, and those exact statements
(with their parameters) are replayed through psycopg. The ratio is therefore what Flask,
the ORM, Jinja and HTTP add to the database's own work.

    python -m benchmarks.bench_public_letters [--letters 1000000] [--reload]
    python -m benchmarks.run --only public_letters
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psycopg

from benchmarks.bench_pages import serve
from benchmarks.datagen import bulk
from benchmarks.datagen.load import copy, frame
from benchmarks.generate import SERVER, migrate, recreate, units_and_users
from benchmarks.harness import Row

DATABASE = os.environ.get("BENCH_PUBLIC_DB", "casework_bench_public")
URL = f"{SERVER}/{DATABASE}"
PLAIN = URL.replace("+psycopg", "")
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
UNITS = 40
PLACES = ["新桥社区", "城关镇", "江北街道", "五里镇", "恒口示范区", "张滩镇", "大同镇", "关庙镇", "建民街道",
          "老城街道", "新城街道", "育才路", "兴安路", "金州路", "巴山路", "香溪路", "滨江大道", "高新区",
          "安康大道", "长春路", "文昌路", "鼓楼街", "北门社区", "南苑小区", "阳光花园", "水岸华庭", "翠屏小区",
          "东坝社区", "西坝社区", "吉河镇", "流水镇", "双龙镇", "石梯镇", "早阳镇", "紫荆花园", "天柱山路"]
TOPICS = [  # (subject, a sentence of the letter, a sentence of the answer)
    ("频繁停水", "近一个月停水{n}次，每次都没有提前通知，老人做饭喝水很困难。", "经核实，停水系供水管网老化爆管所致，已更换管道并恢复供水。"),
    ("夜间停电", "夜间经常停电，家里老人用制氧机，影响很大。", "供电公司已对线路进行改造，今后计划停电将提前公告。"),
    ("路灯不亮", "路灯已经坏了{n}个月，晚上出行很不安全。", "城市管理部门已安排维修，路灯已恢复照明。"),
    ("施工噪音扰民", "工地夜间施工噪音很大，晚上十一点以后还在作业。", "已责令施工单位停止夜间施工，并加强巡查。"),
    ("拖欠农民工工资", "工程完工{n}个月了，包工头一直拖欠工资。", "人社部门已约谈用工单位，工资已足额发放。"),
    ("学校门口交通拥堵", "上学放学时段车辆乱停，孩子过马路很危险。", "交警部门已在学校门口增设护学岗和临时停车区。"),
    ("医保报销问题", "异地就医报销手续复杂，材料提交后一直没有结果。", "医保部门已联系您说明报销流程，款项已到账。"),
    ("公积金提取", "申请提取住房公积金{n}周了还没有到账。", "公积金中心已核实，提取款已于近日发放。"),
    ("垃圾清运不及时", "小区垃圾站{n}天没人清运，气味很大。", "环卫部门已调整清运频次，改为每日两次。"),
    ("道路坑洼积水", "道路坑洼很多，下雨天积水严重。", "住建部门已列入维修计划，路面已修补完毕。"),
    ("物业收费不合理", "物业公司擅自提高收费标准，没有经过业主大会。", "住建部门已责令物业公司按原标准收费。"),
    ("餐饮油烟扰民", "楼下饭店油烟直排，家里窗户都不敢开。", "生态环境部门已督促商户安装油烟净化设备。"),
    ("养老保险咨询", "想咨询灵活就业人员养老保险怎么缴费。", "灵活就业人员可通过社保经办大厅或线上平台办理参保缴费。"),
    ("户籍迁移手续", "孩子上学需要迁户口，不知道要带哪些材料。", "请携带户口簿、身份证和入学通知书到户籍窗口办理。"),
    ("公交线路调整建议", "建议增加早高峰公交班次，等车时间太长。", "交通部门已将早高峰发车间隔缩短至八分钟。"),
    ("占道经营", "路边摊贩占道经营，行人只能走机动车道。", "城管部门已规范设置便民摊点，占道现象已整治。"),
    ("违章停车", "小区门口长期有车辆违停，消防通道被堵。", "交警部门已加强巡查并施划禁停标线。"),
    ("网站链接打不开", "政府网站办事指南的链接打不开。", "网站管理部门已修复错误链接。"),
    ("高速出口交通信号", "高速出口红绿灯时间太短，经常排长队。", "交警部门已优化信号配时，通行效率明显提高。"),
    ("食品安全投诉", "在超市买到过期食品，商家拒绝退换。", "市场监管部门已对商家立案调查并责令退赔。"),
]
FILLERS = ["希望有关部门尽快处理。", "多次向社区反映都没有解决。", "附近居民意见很大。", "请领导重视。",
           "这个问题已经存在很久了。", "希望能给一个明确的答复。", "谢谢！", "周边还有很多老人和孩子。"]
REPLY_OPEN = "您好！您反映的问题已收悉。"
REPLY_CLOSE = "感谢您对我们工作的监督。如有疑问，请拨打 12345 便民热线。"
CATEGORIES = np.array(["consultation", "help", "complaint", "report", "suggestion"])


def _texts(rng: np.random.Generator, n: int):
    from casework.text_search import index_tokens

    weights = 1 / np.arange(1, len(TOPICS) + 1)  # a few topics are common, most are rare
    topics = rng.choice(len(TOPICS), n, p=weights / weights.sum())
    places = rng.integers(0, len(PLACES), n)
    counts = rng.integers(2, 9, n)
    fillers = rng.integers(0, len(FILLERS), (n, 2))
    subjects, bodies, replies, tokens = [], [], [], []
    for i in range(n):
        subject, sentence, answer = TOPICS[topics[i]]
        place = PLACES[places[i]]
        s = place + subject
        b = f"我是{place}居民，{sentence.format(n=counts[i])}{FILLERS[fillers[i, 0]]}{FILLERS[fillers[i, 1]]}"
        r = f"{REPLY_OPEN}{answer}{REPLY_CLOSE}"
        subjects.append(s)
        bodies.append(b)
        replies.append(r)
        tokens.append("{" + ",".join(index_tokens(s, b, r)) + "}")  # a text[] literal for COPY
    return [np.array(x, dtype=object) for x in (subjects, bodies, replies, tokens)]


def load(n: int, seed: int = 7, chunk: int = 200_000) -> None:
    """A database of `n` published letters (closed, accepted, consented), loaded with COPY
    with the secondary indexes rebuilt afterwards, then ANALYZEd (autovacuum is off)."""
    t0 = time.perf_counter()
    recreate(DATABASE)
    migrate(URL)
    rng = np.random.default_rng(seed)
    now = int(time.time())
    with psycopg.connect(PLAIN) as conn:
        units_and_users(conn, UNITS)
        restore = bulk.strip(conn)
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            ids = np.arange(start + 1, start + m + 1)
            received = now - rng.integers(2 * 86400, 3 * 365 * 86400, m)
            days = rng.integers(0, 12, m)
            replied = received + days * 86400 + rng.integers(0, 6 * 3600, m)
            closed = replied + rng.integers(3600, 2 * 86400, m)
            subject, body, reply, tokens = _texts(rng, m)
            cols = {
                "id": ids, "number": np.array([f"XJ-2026-{i:07d}" for i in ids], dtype=object),
                "type": np.full(m, "letter", dtype=object), "category": rng.choice(CATEGORIES, m),
                "channel": np.full(m, "web", dtype=object), "subject": subject, "body": body,
                "citizen_name": np.full(m, "某某", dtype=object), "citizen_phone": np.full(m, "13900000000", dtype=object),
                "state": np.full(m, "closed", dtype=object), "unit_id": rng.integers(1, UNITS + 1, m),
                "received_at": received, "assigned_at": received + 3600, "replied_at": replied,
                "reviewed_at": closed - 600, "closed_at": closed, "close_reason": np.full(m, "accepted", dtype=object),
                "overdue": np.zeros(m, dtype=bool), "on_time": np.ones(m, dtype=bool), "handling_days": days,
                "return_count": np.zeros(m, dtype=int), "consent_publish": np.ones(m, dtype=bool),
                "due_provisional": np.zeros(m, dtype=bool),
                "created_at": received, "updated_at": closed, "version": np.full(m, 5),
            }
            copy(conn, "cases", frame(cols))
            copy(conn, "case_publications", frame({
                "case_id": ids, "unit_id": cols["unit_id"], "category": cols["category"], "subject": subject,
                "body": body, "reply": reply, "search": tokens, "published_at": closed + 3600}))
            conn.commit()
        conn.execute("SELECT setval('cases_id_seq', %s)", (n,))
        conn.commit()
    t_load = time.perf_counter() - t0
    bulk.rebuild(PLAIN, restore)
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE cases")
        conn.execute("VACUUM ANALYZE case_publications")
    print(f"loaded {n:,} published letters into {DATABASE}: load {t_load:.0f} s, "
          f"indexes + analyze {time.perf_counter() - t0 - t_load:.0f} s", flush=True)


def _count() -> int:
    try:
        with psycopg.connect(PLAIN) as conn:
            return conn.execute("SELECT count(*) FROM case_publications WHERE published_at IS NOT NULL").fetchone()[0]
    except psycopg.OperationalError:
        return 0


def _queries(month: str) -> dict[str, dict]:
    return {"browse, page 1": {}, "browse, page 100 (the last)": {"page": 100}, "by unit": {"unit": "u007"},
            "by category": {"category": "report"}, "by month": {"month": month},
            "search 停水 (common)": {"q": "停水"}, "search 食品安全 (rare topic)": {"q": "食品安全"},
            "search 张滩镇 路灯 (two words)": {"q": "张滩镇 路灯"}, "search + unit": {"q": "停电", "unit": "u003"}}


def _recorded_sql(queries: dict[str, dict]) -> dict[str, list]:
    """The statements each page sends, recorded from one in-process render."""
    import sqlalchemy as sa

    from casework import create_app
    from casework.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": URL})
    recorded: dict[str, list] = {}
    with app.app_context():
        current: list = []
        sa.event.listen(db.engine, "before_cursor_execute",
                        lambda conn, cursor, statement, params, context, many: current.append((statement, params)))
        client = app.test_client()
        for name, args in queries.items():
            current.clear()
            assert client.get("/letters", query_string=args).status_code == 200
            recorded[name] = [(s, p) for s, p in current if s.lstrip().upper().startswith("SELECT")]
        db.engine.dispose()
    return recorded


def _bare(statements: list, repeat: int) -> list[float]:
    times = []
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        for _ in range(repeat):
            start = time.perf_counter()
            for statement, params in statements:
                conn.execute(statement, params).fetchall()
            times.append(time.perf_counter() - start)
    return times


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - start


def _open_loop(urls: list[str], rate: float, seconds: float) -> list[float]:
    """Requests sent at a fixed arrival rate whatever the answers do (open loop); each
    latency counts from the moment its request was due, so queueing is not hidden."""
    latencies: list[float] = []
    lock = threading.Lock()
    t0 = time.perf_counter() + 0.2

    def one(i: int) -> None:
        due = t0 + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        _get(urls[i % len(urls)])
        with lock:
            latencies.append(time.perf_counter() - due)

    with ThreadPoolExecutor(64) as pool:
        list(pool.map(one, range(int(rate * seconds))))
    return latencies


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def run(repeat: int = 5, letters: int = 1_000_000, reload: bool = False) -> list[Row]:
    if reload or _count() != letters:
        load(letters)
    with psycopg.connect(PLAIN) as conn:
        month = conn.execute("SELECT to_char(max(received_at) - interval '40 days', 'YYYY-MM') FROM cases").fetchone()[0]
    queries = _queries(month)
    recorded = _recorded_sql(queries)
    samples = max(40, repeat * 12)
    server = serve(URL, PORT, os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13"))
    rows = []
    try:
        urls = {name: f"{BASE}/letters?{urllib.parse.urlencode(args)}" for name, args in queries.items()}
        for url in urls.values():
            for _ in range(8):
                _get(url)  # warm every worker and the buffer cache
        for name, url in urls.items():
            bare = _bare(recorded[name], samples)
            page = [_get(url) for _ in range(samples)]
            print(f"  {name}: page p95 {p95(page) * 1000:.1f} ms, bare p95 {p95(bare) * 1000:.1f} ms", flush=True)
            rows.append(Row(f"/letters {name}: p95 (p50 {statistics.median(page) * 1000:.1f} ms, "
                            f"{len(recorded[name])} queries)", p95(page) * 1000, p95(bare) * 1000, "ms",
                            "p95 < 100 ms", p95(page) * 1000 < 100))
        mix = list(urls.values())
        loaded = _open_loop(mix, rate=20, seconds=15)
        bare_mix = [t for name in urls for t in _bare(recorded[name], 5)]
        rows.append(Row(f"/letters mixed, open loop 20 req/s for 15 s: p95 (p50 {statistics.median(loaded) * 1000:.1f} ms)",
                        p95(loaded) * 1000, p95(bare_mix) * 1000, "ms", "p95 < 200 ms", p95(loaded) * 1000 < 200))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    with psycopg.connect(PLAIN) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_relation_size('ix_case_publications_search'))").fetchone()[0]
    print(f"search index (GIN over the bigrams of {letters:,} letters): {size}")
    return rows


def main(argv=None) -> None:
    from benchmarks.harness import table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args(argv)
    print(table(run(args.repeat, args.letters, args.reload)))


if __name__ == "__main__":
    main()
