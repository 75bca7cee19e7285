"""Widening a retrieved chunk to its whole record, from the principal's own copy of the book."""

from __future__ import annotations

from accounts.book import AccountBook
from accounts.models import SourceKind, Visibility
from assistant.gather import customer_view, whole_records
from retrieval.passages import Chunk, Passage


def passage(record_id: str, source: SourceKind, account: str | None, text: str) -> Passage:
    return Passage(score=1.0, chunk=Chunk(
        chunk_id=f"{source.value}:{record_id}#1", record_id=record_id, source=source, account_id=account,
        visibility=Visibility.CUSTOMER, date=None, path="x", title=record_id, text=text))


def test_chunks_of_records_become_the_whole_record(book: AccountBook) -> None:
    found = whole_records([
        passage("a-4", SourceKind.ACTIVITIES, "globex", "Globex — email: Sync outage update\nMonday."),
        passage("T-1", SourceKind.TICKETS, "globex", "Globex — ticket T-1\noverwrote"),
        passage("docs/x.md", SourceKind.DOCS, None, "Doc\nchunk text stays"),
        passage("a-99", SourceKind.ACTIVITIES, "globex", "Globex — note\nnot in the book"),
    ], book)
    assert [p.chunk.text for p in found] == [
        "Globex — email: Sync outage update\nTechnicians lost offline sync data on Monday.",
        "Globex — ticket T-1\nOffline sync conflict overwrote technician notes.",
        "Doc\nchunk text stays",
        "Globex — note\nnot in the book",
    ]


def test_a_customer_book_never_widens_into_internal_records(book: AccountBook) -> None:
    internal = passage("a-2", SourceKind.ACTIVITIES, "globex", "Globex — note\nrisk")
    assert whole_records([internal], customer_view(book))[0].chunk.text == "Globex — note\nrisk"
    assert "competitor" in whole_records([internal], book)[0].chunk.text
