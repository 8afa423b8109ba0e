"""What the user is told when the corpus folder changes."""

from __future__ import annotations

from reader.core.models import IndexReport, Skipped
from reader.ui.notices import change_summary, newly_skipped, skipped_summary


def test_change_summary_counts_and_names():
    report = IndexReport(added=["a", "b"], updated=["c"], removed=["d", "e", "f", "g", "h"])
    assert change_summary(report).splitlines() == [
        "Corpus changed: 2 added, 1 updated, 5 removed",
        "added: a, b",
        "updated: c",
        "removed: d, e, f and 2 more",
    ]
    assert change_summary(IndexReport(removed=["x"]), "Index updated") == "Index updated: 1 removed\nremoved: x"


def test_names_are_one_line_and_free_of_control_sequences():
    text = newly_skipped([Skipped("[bold]x\x1b[2J\nname.txt", "empty file")])
    assert text == "Skipped [bold]xname.txt — press S to see why" or "\x1b" not in text and "\n" not in text


def test_skipped_summary():
    assert skipped_summary(1) == "1 file skipped — press S to see why"
    assert skipped_summary(3) == "3 files skipped — press S to see why"


def test_errors_are_one_line_and_ours_without_a_class_name():
    from reader.core.index import IndexError_
    from reader.ui.notices import describe

    damaged = IndexError_("cannot read the index in /x (EOFError: )\nif it is damaged, `reader index` rebuilds it")
    assert describe(damaged) == "cannot read the index in /x (EOFError: ) if it is damaged, `reader index` rebuilds it"
    assert describe(PermissionError(13, "Permission denied")) == "[Errno 13] Permission denied"
    assert describe(KeyError("docnum")) == "KeyError: 'docnum'"
    assert "\x1b" not in describe(ValueError("bad \x1b[2J thing"))
