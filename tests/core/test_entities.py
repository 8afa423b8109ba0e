"""Tests for reader.core.entities (organisation detection). No access to ../shared needed."""

from __future__ import annotations

import pickle
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from reader.core.entities import Entity, EntityExtractor, EntityMention, extract_entities
from reader.core.entities.acronyms import looks_like_acronym, matches_initials
from reader.core.entities.canonical import canonical_name, lookup_key
from reader.core.entities.kinds import classify
from reader.core.entities.tokens import tokenize

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def ex() -> EntityExtractor:
    return EntityExtractor()


def names(mentions: list[EntityMention]) -> dict[str, str]:
    return {m.text: m.name for m in mentions}


def check_invariants(text: str, mentions: list[EntityMention]) -> None:
    last_end = -1
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end, "mentions must be sorted and non-overlapping"
        assert m.kind in ("firm", "agency", "other")
        last_end = m.end


# ---------------------------------------------------------------- canonical names, suffixes
@pytest.mark.parametrize(
    "a, b",
    [
        ("Alibaba Group Holding Ltd.", "Alibaba"),
        ("Tencent Holdings Ltd.", "Tencent"),
        ("Xiaomi Corp.", "Xiaomi"),
        ("ByteDance Ltd.", "ByteDance"),
        ("Didi Global Inc.", "Didi Global"),
        ("Bloomberg L.P.", "Bloomberg"),
        ("Siemens AG", "Siemens"),
        ("Vodafone Group plc", "Vodafone"),
        ("Ministry of Industry and Information Technology", "Ministry of Industry Information Technology"),
        ("MIIT's", "MIIT"),
    ],
)
def test_lookup_key_merges_variants(a: str, b: str) -> None:
    assert lookup_key(a) == lookup_key(b)


def test_lookup_key_keeps_distinct_names_apart() -> None:
    assert lookup_key("Bank of China") != lookup_key("Bank of America")
    assert lookup_key("Ant Group") != lookup_key("Ant")  # plain "Group" is part of the name


def test_canonical_name_strips_suffix_and_possessive() -> None:
    assert canonical_name("Acme Widgets Inc.") == "Acme Widgets"
    assert canonical_name("Foobar Group Holding Ltd.") == "Foobar"
    assert canonical_name("Zorblax Holdings") == "Zorblax"
    assert canonical_name("Quuxcorp's") == "Quuxcorp"
    assert canonical_name("The Frobnitz Company") == "Frobnitz"


def test_tokenizer_splits_possessive_and_keeps_abbreviations() -> None:
    toks = [t[0] for t in tokenize("MIIT's rule hit U.S. firms like Xiaomi Corp. and AT&T.")]
    assert toks[:2] == ["MIIT", "'s"]
    assert "U.S." in toks and "Corp." in toks and "AT&T" in toks
    assert toks[-1] == "."


# ---------------------------------------------------------------- extraction rules
def test_kb_alias_and_suffix_give_one_entity(ex: EntityExtractor) -> None:
    text = "Alibaba Group Holding Ltd. and Tencent Holdings Ltd. were summoned. Alibaba said it would comply."
    ms = ex.extract(text)
    check_invariants(text, ms)
    got = names(ms)
    assert got["Alibaba Group Holding Ltd."] == "Alibaba"
    assert got["Alibaba"] == "Alibaba"
    assert got["Tencent Holdings Ltd."] == "Tencent"
    assert all(m.kind == "firm" for m in ms)


def test_possessive_excluded_from_span(ex: EntityExtractor) -> None:
    text = "MIIT's request was clear, and Tencent's reply came fast."
    ms = ex.extract(text)
    check_invariants(text, ms)
    got = names(ms)
    assert got.get("MIIT") == "Ministry of Industry and Information Technology"
    assert got.get("Tencent") == "Tencent"
    assert not any("'s" in m.text for m in ms)


def test_miit_variants_are_one_agency(ex: EntityExtractor) -> None:
    for form in ("Ministry of Industry and Information Technology", "Ministry of Industry Information Technology",
                 "MIIT"):
        text = f"On Friday the {form} told firms to stop blocking links."
        ms = ex.extract(text)
        assert [(m.text, m.name, m.kind) for m in ms] == [
            (form, "Ministry of Industry and Information Technology", "agency")
        ], ms


def test_acronym_defined_in_text_links_unknown_organisation(ex: EntityExtractor) -> None:
    text = ("The Zorvanian Widget Regulatory Commission (ZWRC) fined three firms. "
            "Later the ZWRC said more fines would follow, and ZWRC's chief resigned.")
    ms = ex.extract(text)
    check_invariants(text, ms)
    acr = [m for m in ms if m.text == "ZWRC"]
    assert len(acr) == 3
    assert {m.name for m in acr} == {"Zorvanian Widget Regulatory Commission"}
    assert {m.kind for m in acr} == {"agency"}
    assert any(m.text == "Zorvanian Widget Regulatory Commission" for m in ms)


def test_corpus_level_acronym_learning() -> None:
    ex = EntityExtractor()
    first = ex.extract("Officials of the Quendral Harbour Authority (QHA) met on Tuesday.")
    ex.learn(first)
    later = ex.extract("Shipping firms complained to QHA about the delays.")
    assert [(m.text, m.name) for m in later if m.text == "QHA"] == [("QHA", "Quendral Harbour Authority")]
    ent = ex.resolve("qha")
    assert ent is not None and ent.name == "Quendral Harbour Authority" and ent.kind == "agency"


@pytest.mark.parametrize(
    "text, bad",
    [
        ("China and the U.S. traded barbs in Beijing on Monday.", {"China", "U.S.", "Beijing", "Monday"}),
        ("Xi Jinping met Zhao Zhiguo on Friday, Zhao said.", {"Xi Jinping", "Zhao Zhiguo", "Zhao", "Friday", "Xi"}),
        ("Douyin (left) and Weishi are popular apps.", {"Douyin", "Weishi"}),
        ("Analysts expect growth. However, markets fell.", {"Analysts", "However"}),
    ],
)
def test_non_organisations(ex: EntityExtractor, text: str, bad: set[str]) -> None:
    ms = ex.extract(text)
    check_invariants(text, ms)
    assert not ({m.text for m in ms} & bad), ms


@pytest.mark.parametrize(
    "name, kind",
    [
        ("Ministry of Transport", "agency"),
        ("Securities Regulatory Commission", "agency"),
        ("Bank of Thailand", "agency"),
        ("Supreme Court", "agency"),
        ("Federal Bureau of Statistics", "agency"),
        ("Fooland Army", "agency"),
        ("Zorblax Inc", "firm"),
        ("Quux Holdings", "firm"),
        ("Acme Group Ltd", "firm"),
        ("Widget Makers Association", "other"),
        ("Daily Planet News", "other"),
        ("Zorblax", "firm"),
        ("Xinhua News Agency", "other"),
        ("Union Carbide", "firm"),  # "union", "telegraph", "times"... make an "other" only as the head
        ("Nippon Telegraph and Telephone", "firm"),
        ("Times Mirror", "firm"),
        ("United Technologies", "firm"),
        ("The New York Times", "other"),
        ("Union of Concerned Scientists", "other"),
        ("United Auto Workers", "other"),
        ("Manchester United", "other"),
    ],
)
def test_kind_rules(name: str, kind: str) -> None:
    assert classify(name) == kind


def test_kb_kinds(ex: EntityExtractor) -> None:
    assert ex.resolve("Internet Society of China").kind == "agency"
    assert ex.resolve("Federal Reserve").kind == "agency"
    assert ex.resolve("AFP").kind == "other"
    assert ex.resolve("Bloomberg L.P.").kind == "other"
    assert ex.resolve("Boeing").kind == "firm"


def test_unknown_firm_with_suffix_found_and_canonicalised(ex: EntityExtractor) -> None:
    text = "Shares of Grobnik Industries Inc. rose after Grobnik Industries won the contract."
    ms = ex.extract(text)
    check_invariants(text, ms)
    assert {m.name for m in ms if "Grobnik" in m.text} == {"Grobnik Industries"}
    assert all(m.kind == "firm" for m in ms if "Grobnik" in m.text)


def test_empty_and_trivial_texts(ex: EntityExtractor) -> None:
    assert ex.extract("") == []
    assert ex.extract("   \n ") == []
    assert ex.extract("no capitals here at all.") == []


def test_all_caps_headline(ex: EntityExtractor) -> None:
    ms = ex.extract("BOEING WINS ORDER FROM LUFTHANSA\n")
    assert {m.name for m in ms} >= {"Boeing", "Lufthansa"}


# ---------------------------------------------------------------- resolve and user alias file
def test_resolve_is_case_and_suffix_insensitive(ex: EntityExtractor) -> None:
    e = ex.resolve("miit")
    assert isinstance(e, Entity)
    assert e.name == "Ministry of Industry and Information Technology" and e.kind == "agency"
    assert "MIIT" in e.aliases and e.name not in e.aliases
    assert ex.resolve("Alibaba Group Holding Ltd.").name == "Alibaba"
    assert ex.resolve("ALIBABA").name == "Alibaba"
    assert ex.resolve("tencent holdings ltd").name == "Tencent"
    assert ex.resolve("Frobozz Unlimited Widgets") is None


def test_user_alias_file(tmp_path: Path) -> None:
    f = tmp_path / "aliases.toml"
    f.write_text(
        '[[org]]\nname = "Ant Group"\nkind = "firm"\naliases = ["Ant Financial", "蚂蚁集团"]\n\n'
        '[[org]]\nname = "Glorbian Space Office"\nkind = "agency"\naliases = ["GSO"]\n\n'
        '[[org]]\nname = "Xiaomi"\nkind = "other"\n\n'
        'not_org = ["Frobnicator"]\n',
        encoding="utf-8",
    )
    ex = EntityExtractor(alias_file=f)
    assert ex.resolve("ant financial").name == "Ant Group"
    assert ex.resolve("蚂蚁集团").name == "Ant Group"
    assert ex.resolve("gso").kind == "agency"
    assert ex.resolve("Xiaomi Corp.").kind == "other"  # user kind wins over the bundled KB
    text = "Ant Financial and the GSO met, and the Frobnicator launched."
    got = {m.text: (m.name, m.kind) for m in ex.extract(text)}
    assert got["Ant Financial"] == ("Ant Group", "firm")
    assert got["GSO"] == ("Glorbian Space Office", "agency")
    assert "Frobnicator" not in got


def test_user_alias_file_rejects_bad_kind(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text('[[org]]\nname = "X Corp"\nkind = "company"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        EntityExtractor(alias_file=f)


def test_extractor_pickles() -> None:
    ex = EntityExtractor()
    ex2 = pickle.loads(pickle.dumps(ex))
    text = "Tencent Holdings Ltd. and the MIIT met."
    assert ex2.extract(text) == ex.extract(text)


def test_module_level_helper() -> None:
    ms = extract_entities("Xiaomi Corp. said so.")
    assert [(m.text, m.name, m.kind) for m in ms] == [("Xiaomi Corp.", "Xiaomi", "firm")]


def test_core_does_not_import_ui_libraries() -> None:
    import subprocess

    code = ("import sys, reader.core.entities as e; e.extract_entities('Tencent said.'); "
            "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- bundled corpus
EXPECTED = {
    "Tencent": ("firm", {"000", "003", "004"}),
    "ByteDance": ("firm", {"000", "003", "004"}),
    "Alibaba": ("firm", {"000", "003", "004"}),
    "Pinduoduo": ("firm", {"003"}),
    "Meituan": ("firm", {"003", "004"}),
    "Xiaomi": ("firm", {"003", "004"}),
    "Didi": ("firm", {"004"}),
    "Ministry of Industry and Information Technology": ("agency", {"000", "003", "004"}),
    "Internet Society of China": ("agency", {"003", "004"}),
}
NOT_ORGS = {"China", "Beijing", "U.S.", "Xi Jinping", "Xi", "Zhao Zhiguo", "Zhao", "Monday", "Friday", "Wednesday",
            "Douyin", "Weishi", "Chinese"}


@pytest.fixture(scope="module")
def corpus_mentions(ex: EntityExtractor) -> dict[str, list[EntityMention]]:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) == 3
    out = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        ms = ex.extract(text)
        check_invariants(text, ms)
        out[f.name[:3]] = ms
    return out


def test_bundled_corpus_expected_entities(corpus_mentions) -> None:
    kinds = defaultdict(set)
    docs = defaultdict(set)
    for doc, ms in corpus_mentions.items():
        for m in ms:
            kinds[m.name].add(m.kind)
            docs[m.name].add(doc)
    for name, (kind, where) in EXPECTED.items():
        assert kinds[name] == {kind}, name
        assert docs[name] == where, name


def test_bundled_corpus_one_canonical_entity_per_org(corpus_mentions) -> None:
    by_surface = defaultdict(set)
    for ms in corpus_mentions.values():
        for m in ms:
            by_surface[m.text].add(m.name)
    for surface in ("Alibaba Group Holding Ltd.", "Tencent Holdings Ltd.", "Xiaomi Corp.", "ByteDance Ltd.",
                    "Didi Global Inc.", "MIIT", "Ministry of Industry Information Technology"):
        assert len(by_surface[surface]) == 1, surface
    assert by_surface["Didi Global Inc."] == {"Didi"}
    assert by_surface["Tencent Holdings Ltd."] == {"Tencent"}
    assert by_surface["Xiaomi Corp."] == {"Xiaomi"}
    assert by_surface["ByteDance Ltd."] == {"ByteDance"}
    assert by_surface["Ministry of Industry Information Technology"] == {
        "Ministry of Industry and Information Technology"}


def test_bundled_corpus_no_false_organisations(corpus_mentions) -> None:
    found = {m.text for ms in corpus_mentions.values() for m in ms} | {
        m.name for ms in corpus_mentions.values() for m in ms}
    assert not (found & NOT_ORGS), found & NOT_ORGS


def test_bundled_corpus_media_are_other(corpus_mentions) -> None:
    for ms in corpus_mentions.values():
        for m in ms:
            if m.text in ("Global Times", "Xinhua Finance", "AFP", "Bloomberg"):
                assert m.kind == "other", m


@pytest.mark.parametrize(
    "text",
    [
        "Bear Stearns and Co Inc said it was named adviser.",
        "Standard and Poor's Corp said it upgraded the debt.",
        "Shares of Cheung Kong (Holdings) Ltd rose, Hutchison Whampoa Ltd said.",
        "Kentucky Central Life Insurance Co said it declared a dividend.",
    ],
)
def test_a_bare_legal_suffix_is_never_an_organisation(text) -> None:
    """What is left of a name split at "and" or "(" ("Inc", "Co Inc",
    "Ltd") was listed as a firm: on Reuters "Inc", "Corp", "Co" and "Ltd"
    were among its 20 most mentioned."""
    from reader.core.entities.canonical import is_legal_suffix

    mentions = extract_entities(text)
    assert mentions  # the real names are still found
    for m in mentions:
        assert not all(is_legal_suffix(w) for w in m.text.replace("(", " ").replace(")", " ").split()), m


# ---------------------------------------------------------------- CRF tagging with pruned features
def test_model_attributes_read_from_the_file_equal_crfsuites_own_list():
    from reader.core.entities.crf import CrfTagger, model_attributes, model_path

    tagger = CrfTagger()
    assert model_attributes(model_path()) == frozenset(tagger._tagger.info().attributes)


def test_model_attributes_refuses_a_file_that_is_not_a_model(tmp_path):
    from reader.core.entities.crf import model_attributes

    bad = tmp_path / "x.crfsuite"
    bad.write_bytes(b"not a model at all" * 4)
    with pytest.raises(ValueError, match="not a CRFsuite model"):
        model_attributes(bad)


def test_tagging_with_only_known_features_gives_the_same_labels():
    from reader.core.entities.crf import CrfTagger, sentence_items

    tagger = CrfTagger()
    text = (CORPUS / sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))[0]).read_text(encoding="utf-8")
    text += "\nZyxwv Qqqfoo Holdings said on Tuesday it would buy Blorptech Inc. for $3 mln."
    words = [t[0] for t in tokenize(text)]
    for lo, hi in ((0, len(words)), (5, 40), (len(words) - 12, len(words))):
        full = sentence_items(words, False, lo, hi)
        pruned = sentence_items(words, False, lo, hi, tagger._features)
        assert sum(map(len, pruned)) < sum(map(len, full))  # unknown features were dropped
        assert tagger.tag_words(words, False, lo, hi) == tagger.tag(full)


def test_a_name_in_an_image_credit_is_not_an_organisation_of_the_story(ex: EntityExtractor) -> None:
    """"Photo: IC" (the bundled corpus) named a firm "IC" in the panel: a
    picture's source is not a party to the story. A name the knowledge base
    knows keeps its entry, and the rule ends with the credit's line."""
    text = "Douyin (left) and Weishi Photo: IC\nIC Markets said on Monday it would expand.\n"
    without = {m.name for m in ex.extract(text)}
    assert "IC" not in without
    assert "IC Markets" in without  # the same letters in the story's own line
    credit = {(m.name, m.kind) for m in ex.extract("Credit: Unsplash/CC0 Public Domain\n")}
    assert credit == {("Unsplash", "other")}  # a photo library, in the KB with the media
    agency = {(m.name, m.kind) for m in ex.extract("Photo: Reuters\nTencent said on Friday it would comply.\n")}
    assert ("Tencent", "firm") in agency and any(name == "Reuters" for name, _ in agency)


def test_credit_markers_apply_to_the_rest_of_their_line() -> None:
    from reader.core.entities.extractor import _CREDIT_RX, _in_credit

    text = "Photo: IC\nIC said.\nA picture by Jane. Images by Acme"
    credits = [m.end() for m in _CREDIT_RX.finditer(text)]
    assert _in_credit(text, credits, text.index("IC"))
    assert not _in_credit(text, credits, text.index("IC said"))
    assert not _in_credit(text, credits, text.index("A picture"))
    assert _in_credit(text, credits, text.index("Acme"))


_WRAPPED = (
    "Drexel Burnham Lambert Inc and his father told the Securities and Exchange\n"
    "Commission they have acquired 258,591 shares of the company, or 5.2 pct.\n"
    "    Indonesia's economic changes have been welcomed by the World\n"
    "Bank and international bankers as steps in the right direction.\n"
    "    Sales rose.\n"
    "    The Association of Tin Producing Countries (ATPC) said on Monday\n"
    "that the ATPC would meet again in Kuala Lumpur later in the month.\n"
)


def test_names_are_found_across_the_line_breaks_of_a_hard_wrapped_text(ex: EntityExtractor) -> None:
    """Reuters-like text is wrapped at ~70 characters: a name broken by a
    wrap was two organisations ("Securities and Exchange" and "Commission",
    "World" and "Bank") and an acronym's definition was missed. Offsets
    still point into the text as given."""
    found = ex.extract(_WRAPPED)
    names = [m.name for m in found]
    assert "Securities and Exchange Commission" in names and "World Bank" in names
    assert not {"Commission", "World", "Bank", "Securities and Exchange"} & set(names)
    assert names.count("Association of Tin Producing Countries") == 3  # the name, "(ATPC)" and "the ATPC"
    for m in found:
        assert _WRAPPED[m.start : m.end].replace("\n", " ") == m.text


def test_unwrap_keeps_paragraphs_short_lines_and_unwrapped_texts() -> None:
    from reader.core.entities.extractor import unwrap

    out = unwrap(_WRAPPED)
    assert len(out) == len(_WRAPPED)
    assert "Exchange Commission" in out and "World Bank" in out
    assert "pct.\n    Indonesia" in out and "Sales rose.\n    The" in out  # indented paragraph starts stay
    paragraphs = "A paragraph that is one long line, as web pages and feeds give them, goes on.\nNext one.\n" * 4
    assert unwrap(paragraphs) == paragraphs  # not a hard-wrapped text


def test_standard_and_poors_spelled_out_is_one_firm(ex: EntityExtractor) -> None:
    text = "Standard and Poor's Corp said it downgraded the debt. S and P said ratings fell."
    assert {m.name for m in ex.extract(text)} == {"Standard & Poor's"}


def test_reuters_ticker_brackets_are_not_part_of_a_name(ex: EntityExtractor) -> None:
    text = "CGCT has teamed up with the Dutch-based <Philips Telecommunications Industrie B.V.>, a unit of NV Philips."
    assert all(not m.text.startswith("<") and not m.name.startswith("<") for m in ex.extract(text))


def test_a_generic_word_as_a_name_is_the_organisation_named_before_or_none(ex: EntityExtractor) -> None:
    """"the Bank" after "the Bank of England" is that bank; with no such
    name before it, "the Commission" or "the House" names nothing a reader
    could pick from the panel (Reuters listed "Bank" and "House" among its
    biggest firms). "the House" never takes "White House"."""
    text = (
        "The Bank of England said it had intervened. Dealers said the Bank bought sterling. "
        "The White House said on Monday the House would vote. The Commission declined to comment."
    )
    found = [(m.text, m.name) for m in ex.extract(text)]
    assert ("Bank", "Bank of England") in found
    assert not any(name in ("Bank", "House", "Commission") for _, name in found)
    assert [t for t, name in found if name == "White House"] == ["White House"]


def test_reuters_1987_organisations_in_the_kb(ex: EntityExtractor) -> None:
    text = ("The EC Commission said the European Community would raise it at GATT. "
            "GNP rose 2 pct. The Commodity Credit Corporation (CCC) paid the United Arab Emirates.")
    found = {(m.name, m.kind) for m in ex.extract(text)}
    assert found == {
        ("European Commission", "agency"), ("European Community", "agency"),
        ("General Agreement on Tariffs and Trade", "agency"), ("Commodity Credit Corporation", "agency"),
    }


def test_headline_in_capitals_keeps_the_kb_name_inside_a_longer_crf_span(ex: EntityExtractor) -> None:
    text = "FED SAYS IT SETS 1.5 BILLION DLR CUSTOMER REPURCHASE\nThe Federal Reserve said it set repurchases.\n"
    assert {m.name for m in ex.extract(text)} == {"Federal Reserve"}


def test_and_before_a_dropped_legal_suffix_goes_with_it() -> None:
    assert canonical_name("Kidder, Peabody and Co") == "Kidder, Peabody"
    assert lookup_key("Kidder, Peabody and Co") == lookup_key("Kidder Peabody")
    assert canonical_name("Procter and Gamble") == "Procter and Gamble"
