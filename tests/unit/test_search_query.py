"""Query analysis, coverage scoring and highlighting (pure: no database)."""

from casework.search import query as q
from casework.search.highlight import highlight
from casework.search.text import index_terms, topic

SYNONYMS = [("户籍", "户口", "户口本"), ("最低生活保障", "低保"), ("子女", "孩子", "娃")]


def test_synonyms_become_one_group_with_every_term_as_an_alternative():
    a = q.analyze("我家娃的户口咋迁？", SYNONYMS)
    groups = {g.label: g.alternatives for g in a.groups}
    assert groups["户籍"] == (("户籍",), ("户口",), ("户口本",))
    assert ("娃",) in groups["子女"]
    assert "咋" not in groups and "我家" not in groups  # how people ask, not what


def test_a_multiword_official_term_is_matched_as_all_its_words():
    a = q.analyze("低保", SYNONYMS)
    assert a.groups[0].alternatives[0] == ("最低", "生活", "保障")
    title = " ".join(index_terms("最低生活保障如何申请"))
    assert q.coverage(a, title, "") == 1.0
    assert abs(q.coverage(a, "", title) - q.BODY_FACTOR) < 1e-9  # found in the body only


def test_coverage_rewards_informative_words_over_common_ones():
    a = q.analyze("孩子 户口 小学 报名", SYNONYMS)
    both = q.coverage(a, " ".join(index_terms("户籍 小学")), "")
    common = q.coverage(a, " ".join(index_terms("报名")), "")
    assert both > common > 0
    assert q.coverage(q.analyze("", SYNONYMS), "x", "y") == 0.0


def test_a_compound_word_is_also_found_by_its_parts_for_less():
    a = q.analyze("老板不跟我签合同", ())
    group = next(g for g in a.groups if g.label == "签合同")
    assert ("合同",) in group.alternatives and group.factor(1) < 1
    assert 0 < q.coverage(a, "劳动 合同 劳动合同", "") < 1


def test_query_syntax_is_quoted_for_both_databases():
    a = q.analyze("a'b\"c", ())
    assert "''" in q.tsquery(a) or "'" not in q.tsquery(a).replace("':*", "").strip("'")
    assert q.fts5_query(q.analyze('x" OR "y', ())).count('"*') >= 1
    import re
    lexemes = re.findall(r"'[^']+'(:\*)?", q.tsquery(q.analyze("户口 迁移", ())))
    assert lexemes and all(suffix == ":*" for suffix in lexemes)  # every word matched as a prefix


def test_highlight_escapes_first_and_marks_every_match():
    html = highlight("<b>户口</b>迁移，户口本", ["户口本", "户口"])
    assert str(html) == "&lt;b&gt;<mark>户口</mark>&lt;/b&gt;迁移，<mark>户口本</mark>"
    short = highlight("前" * 100 + "户口" + "后" * 100, ["户口"], limit=40)
    assert str(short).startswith("…") and "<mark>户口</mark>" in str(short) and str(short).endswith("…")


def test_a_letter_topic_is_its_most_informative_noun_not_a_place():
    assert topic("紫阳县城关镇自来水频繁停水") in ("停水", "自来水")
    assert topic("", "") is None
