"""Unit tests for the temporal tagger (reader.core.temporal) and the sentence splitter."""
from __future__ import annotations

import datetime as dt

import pytest

from reader.core.sentences import split_sentences
from reader.core.temporal import Timex, tag_timexes

FRI = dt.date(2021, 7, 30)   # a Friday
MON = dt.date(2021, 9, 13)   # a Monday


def one(text: str, dct: dt.date | None, expr: str) -> Timex:
    hits = [t for t in tag_timexes(text, dct) if t.text == expr]
    assert hits, f"{expr!r} not tagged in {text!r}: {tag_timexes(text, dct)}"
    return hits[0]


def values(text: str, dct: dt.date | None) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in tag_timexes(text, dct)]


# ---------------------------------------------------------------- API shape
def test_offsets_sorted_non_overlapping():
    text = "On Friday, July 30, 2021 the firm said that two days earlier, in July 2021, it met every year."
    ts = tag_timexes(text, FRI)
    assert ts == sorted(ts, key=lambda t: t.start)
    for a, b in zip(ts, ts[1:]):
        assert a.end <= b.start
    for t in ts:
        assert text[t.start:t.end] == t.text


# ---------------------------------------------------------------- absolute dates
@pytest.mark.parametrize("text,expr,value,gran", [
    ("Published: Sep 13, 2021 11:03 PM", "Sep 13, 2021", "2021-09-13", "day"),
    ("It happened on 30 July 2021 in Beijing.", "30 July 2021", "2021-07-30", "day"),
    ("Sales fell in July 2021 sharply.", "July 2021", "2021-07", "month"),
    ("Profit rose in 2021 overall.", "2021", "2021", "year"),
    ("The deal closed Sept. 27, 1989, in New York.", "Sept. 27, 1989", "1989-09-27", "day"),
    ("Filed on 2021-07-30 with the court.", "2021-07-30", "2021-07-30", "day"),
])
def test_absolute_dates(text, expr, value, gran):
    t = one(text, FRI, expr)
    assert (t.type, t.value, t.granularity) == ("DATE", value, gran)
    assert t.date == dt.date.fromisoformat(value + "-01" * (3 - value.count("-") - 1))


def test_year_not_a_count():
    assert values("They hired 2000 people and sold 1,990 units.", FRI) == []


def test_year_not_a_wire_clock_time():
    # Reuters: "U.S. SPOT PRODUCTS--LATE AFTERNOON--APRIL 7 1600 EST" made a 1600 timeline row
    dct = dt.date(1987, 4, 7)
    texts = [t.text for t in tag_timexes("Prices at 1600 EST were firm; at 1745 GMT they fell.", dct)]
    assert "1600" not in texts and "1745" not in texts
    assert one("The company was founded in 1857.", dct, "1857").value == "1857"


# ---------------------------------------------------------------- weekdays
def test_weekday_most_recent_on_or_before_dct():
    assert one("China on Friday told the firms", FRI, "Friday").value == "2021-07-30"
    assert one("The regulator announced on Monday a campaign", FRI, "Monday").value == "2021-07-26"
    assert one("They responded on Monday to the move", MON, "Monday").value == "2021-09-13"


def test_weekday_future():
    assert one("The company will report results on Monday.", FRI, "Monday").value == "2021-08-02"
    assert one("The board meets next Monday.", FRI, "next Monday").value == "2021-08-02"
    assert one("It rained last Friday.", FRI, "last Friday").value == "2021-07-23"


# ---------------------------------------------------------------- relative offsets
def test_deictic_days():
    assert values("Yesterday prices fell, today they rose and tomorrow we will see.", FRI) == [
        ("Yesterday", "2021-07-29"), ("today", "2021-07-30"), ("tomorrow", "2021-07-31")]


def test_relative_units():
    vals = dict(values("Last month sales fell; this week they rose; last year was bad; next year is better.", FRI))
    assert vals == {"Last month": "2021-06", "this week": "2021-W30", "last year": "2020", "next year": "2022"}


def test_ago_anchors_to_dct_but_earlier_to_reference_time():
    text = "On Monday the firm was fined. Two days earlier it had been warned. A week ago shares fell."
    ts = {t.text: t for t in tag_timexes(text, FRI)}
    assert ts["Monday"].value == "2021-07-26"
    assert ts["Two days earlier"].value == "2021-07-24"      # Monday - 2, not DCT - 2
    assert ts["A week ago"].value == "2021-W29"               # from the DCT


def test_earlier_without_reference_uses_dct():
    assert one("Two days earlier, regulators met.", FRI, "Two days earlier").value == "2021-07-28"


def test_earlier_after_coarse_reference_is_unresolved():
    t = one("In July the plan was drafted. Two days earlier the staff met.", FRI, "Two days earlier")
    assert t.value is None and t.date is None


def test_vague_offset_unresolved():
    t = one("Days later, it told Tencent to fix pop-ups.", FRI, "Days later")
    assert t.value is None and t.date is None


# ---------------------------------------------------------------- months without a year
def test_month_without_year():
    assert one("a campaign launched by MIIT since July", MON, "July").value == "2021-07"
    assert one("Prices rose in November.", FRI, "November").value == "2020-11"
    assert one("The law will take effect in November.", FRI, "November").value == "2021-11"
    assert one("Payments are due Aug. 15.", FRI, "Aug. 15").value == "2021-08-15"


def test_may_the_verb_is_not_a_month():
    assert values("Shares may rise.", FRI) == []
    assert one("Sales rose in May.", FRI, "May").value == "2021-05"


# ---------------------------------------------------------------- parts, seasons, quarters, decades
def test_parts_are_approximate():
    t = one("The plant opens in early 2022.", FRI, "early 2022")
    assert (t.value, t.approximate, t.granularity) == ("2022", True, "year")


def test_quarters_halves_seasons_decades():
    vals = dict(values("Profit in the second quarter rose; the first half was weak; "
                       "last summer was hot; in the 1990s it was cheap.", FRI))
    assert vals["the second quarter"] == "2021-Q2"
    assert vals["the first half"] == "2021-H1"
    assert vals["last summer"] == "2020-SU"
    assert vals["the 1990s"] == "199"
    q = one("Profit in the second quarter rose", FRI, "the second quarter")
    assert q.date is None and q.granularity is None


def test_third_quarter_adjective_and_year_ago():
    ts = tag_timexes("Third-quarter profit rose 5% from a year ago.", dt.date(1989, 10, 26))
    assert [(t.text, t.value) for t in ts] == [("Third-quarter", "1989-Q3"), ("a year ago", "1988-Q3")]


# ---------------------------------------------------------------- durations and sets
def test_durations():
    t = one("The MIIT launched a six-month campaign.", FRI, "six-month")
    assert (t.type, t.value, t.date) == ("DURATION", "P6M", None)
    assert one("It took more than four hours.", FRI, "more than four hours").value == "PT4H"
    assert one("Profit in the first nine months rose.", FRI, "the first nine months").value == "P9M"
    assert one("for two decades", FRI, "two decades").value == "P20Y"


def test_sets():
    t = one("The report is published every year.", FRI, "every year")
    assert (t.type, t.value, t.date) == ("SET", "P1Y", None)
    assert one("Prices are set daily.", FRI, "daily").value == "P1D"
    assert one("They meet on Mondays.", FRI, "Mondays").value == "XXXX-WXX-1"


def test_ages_are_not_timexes():
    assert values("A 6-year-old boy and Mr. Smith, 52 years old, met.", FRI) == []


# ---------------------------------------------------------------- anchored / event-relative
def test_week_after_clause_is_not_a_date():
    ts = tag_timexes("The orders come a week after the MIIT launched a campaign.", FRI)
    assert [(t.text, t.type, t.value) for t in ts] == [("a week", "DURATION", "P1W")]
    assert all(t.date is None for t in ts)


# ---------------------------------------------------------------- references
def test_present_past_future_refs():
    vals = dict(values("Prices are now high. They were recently low. In the future they will fall.", FRI))
    assert vals == {"now": "PRESENT_REF", "recently": "PAST_REF", "the future": "FUTURE_REF"}


# ---------------------------------------------------------------- undated article
def test_undated_article_keeps_absolute_dates_only():
    ts = {t.text: t for t in tag_timexes("On Friday, July 30, 2021 it met. On Monday it met again. "
                                         "Yesterday it left. It met in July.", None)}
    assert ts["Friday, July 30, 2021"].value == "2021-07-30"
    assert ts["Monday"].value == "XXXX-WXX-1" and ts["Monday"].date is None
    assert ts["Yesterday"].value is None and ts["Yesterday"].date is None
    assert ts["July"].value == "XXXX-07" and ts["July"].date is None


# ---------------------------------------------------------------- metadata lines
@pytest.mark.parametrize("line,expr", [
    ("Published: Sep 13, 2021 11:03 PM", "Sep 13, 2021"),
    ("© 2021 AFP", "2021"),
    ("©2021 Bloomberg L.P.", "2021"),
    ("APA citation: Title (2021, July 30) retrieved 3 December 2021 from <https://x.org/a>", "3 December 2021"),
    ("30 July 2021", "30 July 2021"),
    ("(Updates with Friday meeting in third paragraph.)", "Friday"),
])
def test_metadata_lines(line, expr):
    text = "China on Friday told firms to act.\n\n" + line + "\n\nMore text follows here."
    ts = {t.text: t for t in tag_timexes(text, FRI)}
    assert ts[expr].metadata is True
    assert ts["Friday"].metadata is False if expr != "Friday" else True


def test_metadata_does_not_move_reference_time():
    text = "30 July 2021\n\nOn Monday the campaign began. Two days later it widened."
    ts = {t.text: t for t in tag_timexes(text, FRI)}
    assert ts["30 July 2021"].metadata
    assert ts["Two days later"].value == "2021-07-28"     # Monday 26 + 2


# ---------------------------------------------------------------- sentence splitting
def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_split_abbreviations():
    text = ("Alibaba Group Holding Ltd. and Tencent Holdings Ltd. were told to act. With the U.S. lobbying, "
            "Mr. Xi spoke on Sep. 13 to J. Smith. He left.")
    assert sents(text) == [
        "Alibaba Group Holding Ltd. and Tencent Holdings Ltd. were told to act.",
        "With the U.S. lobbying, Mr. Xi spoke on Sep. 13 to J. Smith.",
        "He left.",
    ]


def test_split_lines_and_paragraphs():
    text = "Title of the story\nPublished: Sep 13, 2021\n\nFirst para. Second sentence!\n\nThird? Yes."
    assert sents(text) == ["Title of the story", "Published: Sep 13, 2021", "First para.",
                           "Second sentence!", "Third?", "Yes."]


def test_split_hard_wrapped_text_keeps_sentences_together():
    text = ("Showers continued throughout the week in the Bahia cocoa\n"
            "zone, alleviating the drought since early January and\n"
            "improving prospects for the coming temporao, although normal\n"
            "humidity levels have not been restored, Comissaria Smith\n"
            "said in its weekly review of the market situation today.\n"
            "    The dry period means the temporao will be late this year\n"
            "and arrivals will be lower than expected by most dealers.\n")
    out = sents(text)
    assert len(out) == 2
    assert out[0].startswith("Showers") and out[0].endswith("today.")


def test_split_quotes_and_markdown_links():
    text = 'From [e-commerce](#) to ride-hailing, firms suffered. "It is necessary," officials said. Done.'
    assert sents(text) == ["From [e-commerce](#) to ride-hailing, firms suffered.",
                           '"It is necessary," officials said.', "Done."]


# ---------------------------------------------------------------- robustness
from hypothesis import given, settings, strategies as st  # noqa: E402

_WORDS = st.sampled_from(["on", "Friday", "two", "days", "earlier", "ago", "July", "30", "2021", ",", "the",
                          "third", "quarter", "last", "year", "every", "week", "since", "May", "\n", "©", "now",
                          "a", "six-month", "later", "Sept.", "13", "early", "1990s", "11:03", "PM", "will"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=25), st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))))
def test_tagger_invariants(words, dct):
    text = " ".join(words)
    ts = tag_timexes(text, dct)
    for a, b in zip(ts, ts[1:]):
        assert a.end <= b.start
    for t in ts:
        assert text[t.start:t.end] == t.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert (t.date is None) == (t.granularity is None)
        if dct is None and t.date is not None:
            assert t.value and "X" not in t.value


DCT_1987 = dt.date(1987, 4, 7)


@pytest.mark.parametrize(
    "text",
    [
        "LME COPPER AFT 2ND RING 1617 - APR 7\n",  # a time of day in a price table (Reuters)
        " OCT7  1633 UP  10\n AUG7  1607 UP  12\n",  # futures prices
        "(NRKI 1821)\n",  # a stock code and a price
        "The Senate will vote at 1115 est/1615 gmt, Dole said.\n",
        "The rocket lifted off at 1805 local time.\n",
    ],
)
def test_numbers_in_tables_and_clock_times_are_not_years(text):
    assert [t.text for t in tag_timexes(text, DCT_1987) if t.type == "DATE"] == []


@pytest.mark.parametrize(
    "text, year",
    [
        ("The debentures are due in\n2017.\n", "2017"),  # wrapped prose: its line alone has no lower case
        ("CHRYSLER TO EXPORT CARS TO EUROPE IN 1988\n", "1988"),  # a headline, with "in"
        ("Den Danske Bank was founded in 1871, it said.\n", "1871"),
        ("The bank has been profitable since 1983.\n", "1983"),
    ],
)
def test_years_in_prose_and_after_a_preposition_in_headlines_stay(text, year):
    assert year in [t.text for t in tag_timexes(text, DCT_1987)]
