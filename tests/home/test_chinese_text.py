"""Chinese word segmentation for search (home/domain/chinese_text.py): what the index stores, how a search box's
text becomes query words, and how results are highlighted. No database."""

import pytest

from home.domain.chinese_text import (
    MAX_QUERY_WORDS,
    QUERY_MAX_CHARS,
    STOP_WORDS,
    SYNONYMS,
    _words,
    highlight,
    index_terms,
    index_text,
    parse_query,
    snippet,
)


def _alternatives(raw):
    return {word.word: word.alternatives for word in parse_query(raw).words}


# --- the index ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("物业管理服务", "物业"),
        ("物业管理服务", "物业管理"),
        ("专项维修资金", "维修资金"),
        ("住宅专项维修资金属于业主所有", "维修资金"),
        ("住宅专项维修资金属于业主所有", "业主"),
        ("三供一业分离移交", "三供一业"),
        ("老旧小区改造", "老旧小区"),
        ("老旧小区改造", "小区"),
        ("既有住宅加装电梯", "加装电梯"),
        ("既有住宅加装电梯", "电梯"),
        ("业主委员会的选举", "委员会"),
        ("中华人民共和国民法典", "民法典"),
        ("国办发〔2020〕23号", "2020"),
        ("PDF 附件", "pdf"),
    ],
)
def test_index_terms_find_words_inside_longer_words(text, term):
    assert term in index_terms(text)


@pytest.mark.parametrize("word", ["三供一业", "业委会", "维修资金", "加装电梯", "老旧小区", "民法典"])
def test_domain_words_are_kept_whole(word):
    """jieba's own dictionary cuts 三供一业 into 三 / 供 / 一业; the domain dictionary keeps it one word."""
    assert _words(word) == [word]
    assert index_terms(word)[0] == word


def test_index_text_is_the_terms_separated_by_spaces():
    assert index_text("物业管理服务", "三供一业") == "物业管理 物业 管理 服务 三供一业 一业"


def test_index_keeps_stop_words_only_queries_drop_them():
    assert "的" in index_terms("小区的物业")
    assert [w.word for w in parse_query("小区的物业").words] == ["小区", "物业"]


@pytest.mark.parametrize("text", ["", None, "   ", "？！。，、……", "<>&\"'%"])
def test_index_terms_of_nothing_is_empty(text):
    assert index_terms(text) == []
    assert index_text(text) == ""


# --- the query ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("物业", ["物业"]),
        ("维修资金", ["维修资金"]),
        ("三供一业", ["三供一业"]),
        ("加装电梯", ["加装电梯"]),
        ("请问物业费怎么交？", ["物业费"]),
        ("老楼加装电梯费用如何分摊", ["加装电梯", "费用", "分摊"]),
        ("物业 物业 物业", ["物业"]),
        ("ABC 物业", ["abc", "物业"]),
    ],
)
def test_query_words(raw, words):
    assert [w.word for w in parse_query(raw).words] == words


@pytest.mark.parametrize("raw", ["", None, "   ", "？？！", "...", "%", "<>", "的了和", "吗呢吧", "老"])
def test_empty_punctuation_stop_words_or_a_lone_character_give_no_words(raw):
    parsed = parse_query(raw)
    assert parsed.words == ()
    assert not parsed
    assert parsed.terms == ()
    assert parsed.truncated is False


def test_stop_words_are_dropped():
    words = [w.word for w in parse_query("请问我们小区的业委会怎么成立？").words]
    assert words == ["小区", "业委会", "成立"]
    assert not set(words) & STOP_WORDS


@pytest.mark.parametrize(
    ("raw", "word", "alternative"),
    [
        ("业委会", "业委会", ("业主委员会",)),
        ("业主委员会", "业主委员会", ("业委会",)),
        ("维修资金", "维修资金", ("维修基金",)),
        ("维修基金", "维修基金", ("维修资金",)),
        ("电梯加装", "电梯加装", ("加装电梯",)),
        ("怎么成立业主委员会", "业主委员会", ("业委会",)),
    ],
)
def test_synonyms_are_alternatives_of_a_word(raw, word, alternative):
    """业委会 ↔ 业主委员会 both ways: a search for either finds the documents that say the other."""
    alternatives = _alternatives(raw)
    assert alternatives[word][0] == (word,)
    assert alternative in alternatives[word]


def test_every_synonym_key_is_one_word_otherwise_its_synonyms_never_apply():
    """parse_query looks synonyms up per word: a key the tokenizer cuts apart (业主 / 委员会) is dead."""
    for key in SYNONYMS:
        assert _words(key) == [key], key


def test_a_synonym_cut_into_several_words_needs_all_of_them():
    assert ("增设", "电梯") in _alternatives("加装电梯")["加装电梯"]
    assert ("住房", "城乡", "建设局") in _alternatives("住建局")["住建局"]


def test_terms_to_highlight_cover_every_alternative_once():
    assert parse_query("业委会 业主委员会").terms[:2] == ("业委会", "业主委员会")
    assert len(set(parse_query("维修资金 维修基金").terms)) == len(parse_query("维修资金 维修基金").terms)


def test_query_at_the_limit_is_not_truncated():
    parsed = parse_query("物" * (QUERY_MAX_CHARS - 2) + "物业")
    assert parsed.truncated is False


def test_a_pasted_5000_character_text_is_cut_and_still_searches():
    text = "老旧小区改造后物业管理维修资金怎么使用，加装电梯和三供一业分离移交的业委会议事规则公共收益。" * 120
    assert len(text) > 5000
    parsed = parse_query(text)
    assert parsed.truncated is True
    assert 0 < len(parsed.words) <= MAX_QUERY_WORDS
    assert parsed.words[0].word == "老旧小区"


def test_a_query_of_many_different_words_keeps_the_first_twelve():
    parsed = parse_query(
        "物业 维修资金 加装电梯 三供一业 业委会 老旧小区 管理规约 议事规则 公共收益 承接查验 连片打包 红色物业 公积金"
    )
    assert len(parsed.words) == MAX_QUERY_WORDS == 12
    assert parsed.words[-1].word == "红色物业"
    assert parsed.truncated is False


def test_whitespace_around_a_long_query_does_not_count_towards_the_limit():
    assert parse_query("  " * 200 + "物业" + "  " * 200).truncated is False


# --- highlighting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms", "html"),
    [
        ("物业管理条例", ["物业"], "<mark>物业</mark>管理条例"),
        ("物业管理条例", ["物业", "物业管理"], "<mark>物业管理</mark>条例"),
        ("物业管理条例", ["物业管理", "物业"], "<mark>物业管理</mark>条例"),
        ("维修资金与维修基金", ["维修资金", "维修基金"], "<mark>维修资金</mark>与<mark>维修基金</mark>"),
        ("物业、物业", ["物业"], "<mark>物业</mark>、<mark>物业</mark>"),
        ("PDF附件", ["pdf"], "<mark>PDF</mark>附件"),
        ("没有匹配", ["物业"], "没有匹配"),
        ("没有词", [], "没有词"),
        ("空词", ["", None], "空词"),
        ("", ["物业"], ""),
        (None, ["物业"], ""),
    ],
)
def test_highlight_marks_terms_longest_first(text, terms, html):
    assert highlight(text, terms) == html


@pytest.mark.parametrize(
    ("text", "terms", "html"),
    [
        ("<script>alert(1)</script>", [], "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<script>物业</script>", ["物业"], "&lt;script&gt;<mark>物业</mark>&lt;/script&gt;"),
        ("物业\"&'<b>", ["物业"], "<mark>物业</mark>&quot;&amp;&#x27;&lt;b&gt;"),
        ("a<b", ["<b"], "a<mark>&lt;b</mark>"),
        ("物业", ["<script>"], "物业"),
    ],
)
def test_highlight_escapes_html(text, terms, html):
    assert highlight(text, terms) == html


def test_highlight_with_a_query_s_terms():
    terms = parse_query("业委会").terms
    assert terms == ("业委会", "业主委员会")
    assert highlight("业主委员会和业委会", terms) == "<mark>业主委员会</mark>和<mark>业委会</mark>"


# --- snippets ----------------------------------------------------------------------------------------------


def test_snippet_of_a_short_text_is_the_whole_text_without_ellipses():
    assert snippet("短文本提到物业", ["物业"], width=30) == "短文本提到<mark>物业</mark>"


def test_snippet_around_a_term_in_the_middle_has_both_ellipses():
    text = "甲" * 200 + "物业" + "乙" * 200
    html = snippet(text, ["物业"], width=30)
    assert html == "…" + "甲" * 10 + "<mark>物业</mark>" + "乙" * 18 + "…"


def test_snippet_of_a_term_at_the_start_has_only_a_trailing_ellipsis():
    html = snippet("物业" + "乙" * 200, ["物业"], width=30)
    assert html == "<mark>物业</mark>" + "乙" * 28 + "…"


def test_snippet_of_a_term_at_the_end_has_only_a_leading_ellipsis():
    html = snippet("甲" * 200 + "物业", ["物业"], width=30)
    assert html.startswith("…") and html.endswith("<mark>物业</mark>")


def test_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("甲" * 200, ["物业"], width=30) == "甲" * 30 + "…"
    assert snippet("甲" * 200, [], width=30) == "甲" * 30 + "…"


def test_snippet_is_around_the_earliest_of_the_terms():
    text = "甲" * 100 + "维修资金" + "乙" * 100 + "物业" + "丙" * 100
    html = snippet(text, ["物业", "维修资金"], width=30)
    assert "<mark>维修资金</mark>" in html
    assert "物业" not in html


def test_snippet_collapses_whitespace_and_escapes():
    assert snippet("物业\n\n  <b>公告</b>\t", ["物业"], width=90) == "<mark>物业</mark> &lt;b&gt;公告&lt;/b&gt;"


def test_snippet_of_nothing_is_empty():
    assert snippet("", ["物业"]) == ""
    assert snippet(None, ["物业"]) == ""


def test_snippet_finds_latin_terms_whatever_their_case():
    html = snippet("甲" * 100 + "PDF附件" + "乙" * 100, ["pdf"], width=30)
    assert "<mark>PDF</mark>" in html
