"""British and American spellings meet: in the lexical index and wherever the composer counts words."""

from __future__ import annotations

from accounts.access import Scope
from accounts.models import SourceKind, Visibility
from assistant.words import content_words
from retrieval.keyword_index import KeywordIndex
from retrieval.passages import Chunk
from retrieval.spelling import american, with_variants


def _doc(rid: str, text: str) -> Chunk:
    return Chunk(chunk_id=f"docs:{rid}#0", record_id=rid, source=SourceKind.DOCS, account_id=None,
                 visibility=Visibility.PUBLIC, date=None, path=rid, title=rid, text=text)


def test_either_spelling_of_a_word_finds_the_other() -> None:
    index = KeywordIndex.build([_doc("docs/seats.md", "When all licenses are in use, free a seat first."),
                                _doc("docs/colours.md", "Pick the colour of each job type on the board."),
                                _doc("docs/other.md", "Invoices go to customers every Friday.")])
    everyone = Scope.for_audience("csm")
    assert [c for c, _ in index.query("more licences", everyone, 3)] == ["docs:docs/seats.md#0"]
    assert index.query("job color", everyone, 3)[0][0] == "docs:docs/colours.md#0"


def test_words_are_counted_in_one_spelling() -> None:
    assert content_words("licences organised colours") == content_words("licenses organized colors")
    assert american("synchronising") == "synchronizing" and american("invoice") == "invoice"
    assert with_variants("no such words here") == "no such words here"
    assert with_variants("Customise the Centre") == "Customise the Centre customize center"
