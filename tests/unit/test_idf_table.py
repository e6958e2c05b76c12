"""The shipped IDF trie is jieba's own table, value for value (rebuild it with
`python -m casework.search.idf_build` after a jieba upgrade)."""

from casework.search import idf_build, text


def test_the_shipped_trie_holds_the_installed_jiebas_idf_table():
    table, median = text._idf_table()
    source = idf_build.read_source()
    assert median == idf_build.median(source)
    assert len(table._trie) == len(source) + 1  # and the median
    assert all(table.get(word, -1.0) == value for word, value in source.items())
    assert table.get("一个jieba不认识的词", 7.5) == 7.5 and "户口" in table
