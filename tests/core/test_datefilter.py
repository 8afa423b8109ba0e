"""DateIndex: the datekey column read in one go, for the start screen and date filters."""

from __future__ import annotations

import datetime as dt

from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from reader.core.datefilter import DateIndex


def _reader(keys: list[int], deleted: tuple[int, ...] = ()):
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), datekey=fields.NUMERIC(int, bits=32, signed=True, sortable=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for i, key in enumerate(keys):
            w.add_document(id=str(i), datekey=key)
    if deleted:
        with ix.writer() as w:
            for d in deleted:
                w.delete_by_term("id", str(d))
    return ix.reader()


def test_newest_first_keeps_index_order_among_same_day_articles():
    # docs 1, 2 and 3 share a day: they must stay 1, 2, 3 (as a reverse datekey sort does)
    dates = DateIndex(_reader([20210101, 20210730, 20210730, 20210730, 20210901, 0]))
    assert dates.newest_first() == [4, 1, 2, 3, 0, 5]


def test_deleted_documents_are_never_listed_or_matched():
    dates = DateIndex(_reader([20210101, 20210730, 20210901], deleted=(1,)))
    assert dates.newest_first() == [2, 0]
    assert dates.docs(dt.datetime(2021, 7, 1), dt.datetime(2021, 7, 31)) == set()


def test_ranges_are_inclusive_and_open_ended():
    dates = DateIndex(_reader([20210101, 20210730, 20210731, 20210801, 0]))
    assert dates.docs(dt.datetime(2021, 7, 30), dt.datetime(2021, 7, 31)) == {1, 2}
    assert dates.docs(dt.datetime(2021, 7, 31), None) == {2, 3}
    assert dates.docs(None, dt.datetime(2021, 1, 1)) == {0}


def test_keys_of_a_many_segment_index_match_whooshs_column():
    from reader.core.datefilter import datekeys

    schema = fields.Schema(id=fields.ID(stored=True, unique=True), datekey=fields.NUMERIC(int, bits=32, signed=True, sortable=True))
    ix = RamStorage().create_index(schema)
    expected = []
    for batch in range(4):
        with ix.writer() as w:
            w.merge = False
            for i in range(5 + batch):
                key = 0 if i == 2 else 20210100 + batch * 10 + i
                w.add_document(id=f"{batch}-{i}", datekey=key)
                expected.append(key)
    reader = ix.reader()
    assert not reader.is_atomic() and len(list(reader.leaf_readers())) == 4
    assert datekeys(reader) == expected == [int(k or 0) for k in reader.column_reader("datekey")]
