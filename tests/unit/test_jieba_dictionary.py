"""The shipped segmenting dictionary is jieba's own (with knowledge_words.txt), word for
word, and segments as jieba does (rebuild it with `python -m casework.search.dict_build`
after a jieba upgrade or a change of knowledge_words.txt)."""

import json
from pathlib import Path

import pytest

from casework.demo.content import LETTERS
from casework.search import dict_build, dictionary

EVAL = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "knowledge_eval.json"


def texts() -> list[str]:
    entries = json.loads(EVAL.read_text(encoding="utf-8"))["entries"]
    found = [t for letter in LETTERS for t in (letter.subject, letter.body)]
    found += [t for e in entries for t in (e["question"], e["answer"], *e["citizen"])]
    # Names, numbers, Latin letters, punctuation and words only our list holds.
    found += ["张三丰和王小明昨天在汉滨区育才路123号见到了李华。", "医保卡和低保户的事，ABC公司说2024年再办！",
              "办证难、办证慢，12345热线：0915-3212345，邮箱 xx@ankang.gov.cn"]
    return found


@pytest.fixture(scope="module")
def jieba_as_shipped():
    import jieba
    import jieba.posseg

    freqs, tags, total = dict_build.source()
    base = jieba.Tokenizer()
    base.initialize()
    base.load_userdict(str(dict_build.WORDS_FILE))
    tagger = jieba.posseg.POSTokenizer(base)
    tagger.makesure_userdict_loaded()
    return freqs, tags, total, base, tagger


def test_every_word_has_jiebas_count_and_tag(jieba_as_shipped):
    freqs, tags, total, base, _tagger = jieba_as_shipped
    ours, our_tags, our_total = dictionary.tables()
    assert our_total == total
    assert all(ours.get(w) == f for w, f in freqs.items())
    assert all(our_tags.get(w) == t for w, t in tags.items())
    # Prefixes count 0, as in jieba's FREQ; other strings are absent.
    assert all(ours.get(w) == f for w, f in list(base.FREQ.items())[::97])
    assert ours.get("中华人民共", -1) == base.FREQ["中华人民共"] == 0
    assert ours.get("不是词语啊", -1) == -1 and "不是词语啊" not in ours and "中华人民共" in ours
    assert our_tags.get("不是词语啊", "x") == "x"


def test_segmenting_is_jiebas(jieba_as_shipped):
    _freqs, _tags, _total, base, tagger = jieba_as_shipped
    ours, our_tagger = dictionary.tokenizer(), dictionary.pos_tokenizer()
    for text in texts():
        assert list(ours.cut(text)) == list(base.cut(text)), text
        assert list(ours.cut(text, HMM=False)) == list(base.cut(text, HMM=False)), text
        assert list(ours.cut_for_search(text)) == list(base.cut_for_search(text)), text
        assert [(p.word, p.flag) for p in our_tagger.cut(text)] == [(p.word, p.flag) for p in tagger.cut(text)], text


def test_the_dictionary_is_read_only():
    with pytest.raises(TypeError):
        dictionary.tokenizer().add_word("新词")
