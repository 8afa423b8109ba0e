"""Chinese, Japanese and Korean text: bigram tokens, phrase queries, highlighting."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from reader.core.cjk import CJKTokenizer, has_cjk, is_cjk
from reader.core.highlight import find_hits, make_snippet
from reader.core.query import CJKCharTerm, QueryError, make_parser, parse_query
from reader.core.schema import ANALYZER, build_schema

ROOT = Path(__file__).resolve().parents[2]
OLD = RegexTokenizer(r"\w+") | LowercaseFilter()


def toks(text: str, **kw):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in ANALYZER(text, positions=True, chars=True, **kw)]


def words(text: str) -> list[str]:
    return [t.text for t in ANALYZER(text)]


# -- the tokenizer -----------------------------------------------------------


def test_english_is_tokenised_exactly_as_before():
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        old = [(t.text, t.pos, t.startchar, t.endchar) for t in OLD(text, positions=True, chars=True)]
        assert toks(text) == old
    sample = "U.S. e-mail don't 3.14 under_score Ünïcödé ÉCOLE naïve"
    assert words(sample) == [t.text for t in OLD(sample)]


def test_chinese_run_becomes_overlapping_bigrams():
    text = "要求腾讯和阿里巴巴停止屏蔽链接"
    got = toks(text)
    assert [g[0] for g in got] == [
        "要求", "求腾", "腾讯", "讯和", "和阿", "阿里", "里巴", "巴巴", "巴停", "停止", "止屏", "屏蔽", "蔽链", "链接",
    ]
    assert [g[1] for g in got] == list(range(14))
    assert all(text[s:e] == w for w, _, s, e in got)


def test_positions_are_consecutive_across_scripts():
    text = "Tencent（腾讯）在 2021年 发布了 iPhone13手机。"
    got = toks(text)
    assert [g[0] for g in got] == ["tencent", "腾讯", "在", "2021", "年", "发布", "布了", "iphone13", "手机"]
    assert [g[1] for g in got] == list(range(len(got)))
    assert all(text[s:e].lower() == w for w, _, s, e in got)


def test_isolated_character_is_a_unigram():
    assert words("美 国") == ["美", "国"]
    assert words("第3季") == ["第", "3", "季"]


def test_japanese_and_korean():
    assert words("東京証券取引所は") == ["東京", "京証", "証券", "券取", "取引", "引所", "所は"]
    # The Katakana middle dot separates words; the long-vowel mark belongs to them.
    assert words("ドナルド・トランプ氏") == ["ドナ", "ナル", "ルド", "トラ", "ラン", "ンプ", "プ氏"]
    assert words("スーパー") == ["スー", "ーパ", "パー"]
    assert words("삼성전자 부회장") == ["삼성", "성전", "전자", "부회", "회장"]


def test_cjk_punctuation_splits_runs():
    got = toks("腾讯，阿里。「字节」")
    assert [(w, p) for w, p, _, _ in got] == [("腾讯", 0), ("阿里", 1), ("字节", 2)]


def test_rare_han_ranges():
    # Extension A, a compatibility ideograph, extension B, the iteration mark.
    assert words("䶮龑") == ["䶮龑"]
    assert words("豈更") == ["豈更"]
    assert words("𠮷野家") == ["𠮷野", "野家"]
    assert words("人々") == ["人々"]


def test_full_and_half_width_forms_are_folded():
    text = "Ｔｅｎｃｅｎｔ２０２１年"
    got = toks(text)
    assert [(w, s, e) for w, _, s, e in got] == [("tencent2021", 0, 11), ("年", 11, 12)]
    assert words("ｶﾀｶﾅ") == ["カタ", "タカ", "カナ"]


def test_offsets_and_tokenize_false():
    got = [(t.text, t.pos, t.startchar) for t in ANALYZER("阿里巴巴", positions=True, chars=True, start_pos=5, start_char=10)]
    assert got == [("阿里", 5, 10), ("里巴", 6, 11), ("巴巴", 7, 12)]
    [tok] = ANALYZER("Ａｂ腾讯", tokenize=False)
    assert tok.text == "ab腾讯"


def test_helpers_and_pickling():
    assert has_cjk("abc腾讯") and not has_cjk("abc・") and not has_cjk("Tencent")
    assert is_cjk("腾讯") and not is_cjk("腾讯a") and not is_cjk("")
    # The schema, analyzer included, is pickled into the index.
    assert pickle.loads(pickle.dumps(ANALYZER)) == ANALYZER
    assert CJKTokenizer(lowercase=False) != ANALYZER
    assert words("ABC") == ["abc"]
    assert [t.text for t in CJKTokenizer(lowercase=False)("ABC 腾讯")] == ["ABC", "腾讯"]


# -- highlighting --------------------------------------------------------------


def test_bigram_hits_merge_into_one_span():
    text = "工信部要求腾讯和阿里巴巴停止屏蔽链接"
    [span] = find_hits(text, {"阿里", "里巴", "巴巴"})
    assert text[span[0] : span[1]] == "阿里巴巴"
    [span] = find_hits(text, {"腾讯"})
    assert text[span[0] : span[1]] == "腾讯"
    spans = find_hits(text, {"腾讯", "阿里", "里巴", "巴巴"})
    assert [text[s:e] for s, e in spans] == ["腾讯", "阿里巴巴"]
    snippet = make_snippet(text, spans)
    assert [snippet.text[s:e] for s, e in snippet.spans] == ["腾讯", "阿里巴巴"]


def test_english_hits_unchanged():
    text = "Tencent said. TENCENT again"
    assert find_hits(text, {"tencent"}) == [(0, 7), (14, 21)]


# -- parsing -------------------------------------------------------------------


@pytest.fixture(scope="module")
def parser():
    return make_parser(build_schema())


def test_multi_token_words_are_phrases(parser):
    q = parse_query(parser, "阿里巴巴")
    assert q == wq.Or([wq.Phrase("title", ["阿里", "里巴", "巴巴"]), wq.Phrase("body", ["阿里", "里巴", "巴巴"])])
    q = parse_query(parser, "腾讯")
    assert q == wq.Or([wq.Term("title", "腾讯"), wq.Term("body", "腾讯")])
    q = parse_query(parser, "e-mail")
    assert q == wq.Or([wq.Phrase("title", ["e", "mail"]), wq.Phrase("body", ["e", "mail"])])
    assert parse_query(parser, "title:阿里巴巴") == wq.Phrase("title", ["阿里", "里巴", "巴巴"])


def test_cjk_fuzzy_prefix_and_single_characters(parser):
    assert parse_query(parser, "title:腾讯~") == wq.Term("title", "腾讯")
    assert parse_query(parser, "title:阿里巴巴~2") == wq.Phrase("title", ["阿里", "里巴", "巴巴"])
    assert parse_query(parser, "title:阿里巴*") == wq.Phrase("title", ["阿里", "里巴"])
    assert parse_query(parser, "title:腾讯*") == wq.Term("title", "腾讯")
    assert parse_query(parser, "title:腾") == CJKCharTerm("title", "腾")
    assert parse_query(parser, "title:腾*") == CJKCharTerm("title", "腾")
    # English is untouched.
    assert parse_query(parser, "title:tencnet~").__class__.__name__ == "DamerauFuzzyTerm"
    assert parse_query(parser, "title:tenc*") == wq.Prefix("title", "tenc")


# -- end to end ----------------------------------------------------------------

ARTICLES = {
    "zh.txt": "工信部要求平台停止屏蔽链接\n\n新华社北京电 工业和信息化部周一召开行政指导会，要求腾讯和阿里巴巴停止屏蔽链接。"
    "会议指出，保障合法网址链接正常访问是互联网发展的基本要求。\n",
    "zh2.txt": "字节跳动发布新产品\n\n字节跳动周二发布了新的短视频应用，阿里云提供技术支持。腾\n",
    "ja.txt": "東証で終日売買停止\n\n東京証券取引所は十三日、システム障害の影響で全銘柄の売買を終日停止した。\n",
    "ko.txt": "삼성전자 실적 발표\n\n삼성전자는 3분기 영업이익이 크게 늘었다고 밝혔다.\n",
    "en.txt": "Tencent and Alibaba told to stop blocking links\n\nRegulators in the U.S. and China sent an e-mail to "
    "Tencent, Alibaba and ByteDance on Monday.\n",
}


@pytest.fixture(scope="module")
def cjk_engine(tmp_path_factory):
    from reader.core.index import update_index
    from reader.core.search import SearchEngine

    base = tmp_path_factory.mktemp("cjk")
    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    update_index(corpus, base / "index")
    eng = SearchEngine(base / "index")
    yield eng
    eng.close()


def found(engine, q):
    result = engine.search(q)
    return result, {h.id: h for h in engine.hits(result, 0, 50)}


def highlighted(hit):
    return [hit.snippet.text[s:e] for s, e in hit.snippet.spans]


def test_search_finds_chinese_word_inside_a_sentence(cjk_engine):
    result, hits = found(cjk_engine, "腾讯")
    assert set(hits) == {"zh"}
    assert highlighted(hits["zh"]) == ["腾讯"]


def test_search_multi_character_word_is_a_phrase(cjk_engine):
    result, hits = found(cjk_engine, "阿里巴巴")
    assert set(hits) == {"zh"}  # not zh2, which has 阿里 but not 阿里巴巴
    assert highlighted(hits["zh"]) == ["阿里巴巴"]
    assert found(cjk_engine, "巴巴腾讯")[0].total == 0
    _, hits = found(cjk_engine, "要求腾讯和阿里巴巴停止屏蔽链接")
    assert set(hits) == {"zh"}
    # The whole sentence is one span; its bigrams also light up elsewhere (as
    # the words of an English phrase do).
    assert "要求腾讯和阿里巴巴停止屏蔽链接" in highlighted(hits["zh"])
    assert "停止屏蔽链接" in highlighted(hits["zh"])


def test_search_japanese_and_korean(cjk_engine):
    _, hits = found(cjk_engine, "東京")
    assert set(hits) == {"ja"}
    assert highlighted(hits["ja"]) == ["東京"]
    _, hits = found(cjk_engine, "取引所")
    assert highlighted(hits["ja"]) == ["取引所"]
    assert set(found(cjk_engine, "영업이익")[1]) == {"ko"}


def test_title_and_quoted_phrases(cjk_engine):
    assert set(found(cjk_engine, "title:停止屏蔽")[1]) == {"zh"}
    assert set(found(cjk_engine, '"停止屏蔽链接"')[1]) == {"zh"}
    assert set(found(cjk_engine, "腾讯 AND 东京")[1]) == set()
    assert set(found(cjk_engine, "腾讯 OR 東京")[1]) == {"zh", "ja"}
    assert set(found(cjk_engine, "字节跳动 NOT 腾讯")[1]) == {"zh2"}


def test_single_character_finds_it_anywhere(cjk_engine):
    # 腾 stands alone in zh2 and starts a bigram in zh; 讯 ends one.
    assert set(found(cjk_engine, "腾")[1]) == {"zh", "zh2"}
    assert set(found(cjk_engine, "讯")[1]) == {"zh"}
    assert set(found(cjk_engine, "証")[1]) == {"ja"}


@pytest.mark.parametrize(
    "q", ["腾讯~", "腾讯~2", "阿里巴*", "腾*", "*讯", "腾?", "阿里巴巴~", "腾~", "title:腾讯*", '"腾 讯"', "腾讯^2", "東京~1/1"]
)
def test_fuzzy_and_wildcards_on_cjk_do_not_crash(cjk_engine, q):
    try:
        result = cjk_engine.search(q)
        cjk_engine.hits(result, 0, 10)
    except QueryError:
        pass


def test_fuzzy_and_prefix_on_cjk_mean_the_word(cjk_engine):
    assert set(found(cjk_engine, "腾讯~")[1]) == {"zh"}
    assert set(found(cjk_engine, "阿里巴*")[1]) == {"zh"}
    assert set(found(cjk_engine, "東京*")[1]) == {"ja"}


def test_english_still_works_in_the_same_index(cjk_engine):
    assert set(found(cjk_engine, "tencent")[1]) == {"en"}
    assert set(found(cjk_engine, "tencnet~")[1]) == {"en"}
    assert set(found(cjk_engine, "U.S.")[1]) == {"en"}
    assert set(found(cjk_engine, "e-mail")[1]) == {"en"}
    assert set(found(cjk_engine, "bytedance")[1]) == {"en"}
    _, hits = found(cjk_engine, "alibaba")
    assert highlighted(hits["en"]) == ["Alibaba", "Alibaba"]
