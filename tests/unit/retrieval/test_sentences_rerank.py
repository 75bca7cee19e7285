"""Answer units (never cut Markdown or a parenthesis; procedures whole) and the sentence-level reranker."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from accounts.models import SourceKind, Visibility
from retrieval.embeddings import HashingEmbedder
from retrieval.hybrid import group_records
from retrieval.passages import Chunk, Passage
from retrieval.rerank import SentenceReranker
from retrieval.sentences import paragraph_sentences, split_sentences, split_units


def test_a_split_never_cuts_markdown_a_parenthesis_or_an_abbreviation() -> None:
    line = ("**Released 16 November 2026.** After the update jobs sync. See the guide (Dir. [1], e.g. the "
            "admin page). Use the [Export page](https://docs.example/a.b). Code `a. B` stays whole.")
    assert split_sentences(line) == [
        "**Released 16 November 2026.**", "After the update jobs sync.",
        "See the guide (Dir. [1], e.g. the admin page).", "Use the [Export page](https://docs.example/a.b).",
        "Code `a. B` stays whole.",
    ]
    for piece in split_sentences(line):
        assert piece.count("**") % 2 == 0 and piece.count("(") == piece.count(")") and piece.count("`") % 2 == 0


def test_units_keep_procedures_together_and_skip_front_matter_tables_and_code() -> None:
    text = ("---\ntitle: T\n---\n# Export\nExports run nightly.\n| a | b |\n```\nx = 1. Y = 2.\n```\n"
            "## Steps\n1. Open **Reports**.\n2. Click **Export**.\n3. Pick a format.\nDone in a minute or so.\n")
    units = split_units(text)
    assert [u.text for u in units] == ["Exports run nightly.", "Open **Reports**.", "Click **Export**.",
                                       "Pick a format.", "Done in a minute or so."]
    procedure = units[1].procedure
    assert procedure is not None and procedure.steps == ("Open **Reports**.", "Click **Export**.", "Pick a format.")
    assert procedure.heading == "Steps" and units[2].procedure is procedure and units[4].procedure is None


def _chunk(record: str, index: int, text: str) -> Chunk:
    return Chunk(chunk_id=f"docs:{record}#{index}", record_id=record, source=SourceKind.DOCS, account_id=None,
                 visibility=Visibility.PUBLIC, date=None, path=record, title=record, text=f"{record}\n{text}",
                 index=index)


def test_several_chunks_of_one_record_travel_together_at_its_best_rank() -> None:
    ranked = [Passage(chunk=_chunk("docs/a.md", 0, "intro"), score=1.0),
              Passage(chunk=_chunk("docs/b.md", 0, "other"), score=0.9),
              Passage(chunk=_chunk("docs/a.md", 4, "deep answer"), score=0.8),
              Passage(chunk=_chunk("docs/a.md", 2, "middle"), score=0.7),
              Passage(chunk=_chunk("docs/a.md", 3, "more"), score=0.6)]
    grouped = group_records(ranked, per_record=3)
    assert [p.chunk.record_id for p in grouped] == ["docs/a.md", "docs/b.md"]
    assert [c.index for c in grouped[0].chunks] == [0, 2, 4]  # the record's own order, at most 3
    assert "deep answer" in grouped[0].body() and "docs/a.md\n" not in grouped[0].body()
    assert [len(p.siblings) for p in group_records(ranked, per_record=1)] == [0, 0]


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def test_the_reranker_lifts_the_passage_whose_sentence_answers_and_caches_vectors() -> None:
    embedder = CountingEmbedder()
    reranker = SentenceReranker(embedder, candidates=5)
    query = "rotate the webhook signing secret"
    words = Passage(chunk=_chunk("docs/w.md", 0, "Webhooks send events. Each webhook has a URL."), score=1.0)
    answer = Passage(chunk=_chunk("docs/s.md", 0, "Billing runs monthly. To rotate the webhook signing secret, "
                                  "open Settings and click Rotate."), score=0.95)
    vector = embedder.embed_query(query)
    first = reranker.rerank(query, vector, [words, answer])
    assert first[0].chunk.record_id == "docs/s.md"
    assert all(p.rerank_score is not None and p.unit_scores for p in first)
    best = max(first[0].unit_scores, key=first[0].unit_scores.__getitem__)
    assert best.startswith("to rotate the webhook signing secret")
    before = embedder.embedded
    reranker.rerank(query, vector, [words, answer])
    assert embedder.embedded == before  # unit vectors come from the cache the second time


def test_consecutive_chunks_merge_into_one_procedure_without_the_overlap() -> None:
    first = _chunk("docs/sso.md", 2, "## Okta\n\n1. Open the Admin Console.\n2. Paste the ACS URL.\n"
                   "3. In FieldLoop, upload the IdP metadata file.")
    second = _chunk("docs/sso.md", 3, "## Okta\n3. In FieldLoop, upload the IdP metadata file.\n"
                    "4. Assign a test user and click Test sign-in.")
    head = _chunk("docs/sso.md", 0, "SSO needs the Admin role. It works with any SAML provider.")
    passage = Passage(chunk=second, score=1.0, siblings=(first, head))
    steps = [u for u in passage.units() if u.procedure is not None]
    assert steps[0].procedure is not None and steps[0].procedure.steps == (
        "Open the Admin Console.", "Paste the ACS URL.", "In FieldLoop, upload the IdP metadata file.",
        "Assign a test user and click Test sign-in.")
    assert [s.text for s in steps].count("In FieldLoop, upload the IdP metadata file.") == 1
    assert passage.body().count("## Okta") == 1


def test_a_chunk_repeating_nested_headings_keeps_the_first_chunks_body() -> None:
    """The chunker repeats "## Section" and "### Subsection": the repeated subsection heading must not
    match itself in the earlier chunk and cut that chunk's body (the fix's version lived there)."""
    heading = "### Android: jobs completed offline revert after reconnecting"
    first = _chunk("docs/notes.md", 1, f"## Known issues\n\n{heading}\n\n"
                   "**Status: fix in mobile 6.4.2.**\n\nWorkaround:\n\n1. Exempt the app from battery optimization.\n"
                   "2. Keep the app open until the indicator is green.")
    second = _chunk("docs/notes.md", 2, f"## Known issues\n{heading}\n"
                    "2. Keep the app open until the indicator is green.\n\nContact support if you were affected.")
    passage = Passage(chunk=second, score=1.0, siblings=(first,))
    texts = [u.text for u in passage.units()]
    assert any("6.4.2" in t for t in texts)
    assert texts.count("Keep the app open until the indicator is green.") == 1
    assert "Contact support if you were affected." in texts


def test_a_tables_data_rows_are_units_labelled_by_their_columns() -> None:
    text = ("## Notifications\n\n| Notification | Sent when | Channels |\n|---|---|---|\n"
            "| Appointment reminder | A set time before the visit (default: 24 hours) | E-mail, SMS |\n\n"
            "| Visit completed | The job is completed | E-mail |\n")
    texts = [u.text for u in split_units(text)]
    assert texts == ["Appointment reminder — Sent when: A set time before the visit (default: 24 hours); "
                     "Channels: E-mail, SMS."]  # the row after the blank line has no header in view: skipped


def test_warming_embeds_every_page_so_the_first_question_embeds_only_itself() -> None:
    from retrieval.hybrid import doc_pages
    from retrieval.keyword_index import KeywordIndex

    chunks = [_chunk("docs/s.md", 0, "Billing runs monthly. Invoices go out on the first."),
              _chunk("docs/s.md", 1, "To rotate the webhook signing secret, open Settings and click Rotate."),
              _chunk("docs/w.md", 0, "Webhooks send events. Each webhook has a URL.")]
    pages = doc_pages(KeywordIndex(chunks, None), limit=16)
    assert sorted((p.chunk.record_id, len(p.chunks)) for p in pages) == [("docs/s.md", 2), ("docs/w.md", 1)]
    embedder = CountingEmbedder()
    query = embedder.embed_query("rotate the secret")
    embedder.embedded = 0
    reranker = SentenceReranker(embedder, candidates=5)
    assert reranker.warm(pages) == embedder.embedded == 5 + 2  # every sentence, and each page's one section
    reranked = reranker.rerank("rotate the secret", query, pages)
    assert embedder.embedded == 7
    assert all(set(p.section_scores) == {""} for p in reranked)  # scored whole, from the cache


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("The log shows every message sent. Use it to answer a customer who never got one.",
     ["The log shows every message sent. Use it to answer a customer who never got one."]),
    ("Reset links expire after an hour. Ask them to request a new one.",
     ["Reset links expire after an hour. Ask them to request a new one."]),
    ("Only admins see reports. By default that's Admin and Manager.",
     ["Only admins see reports. By default that's Admin and Manager."]),
    ("Open the job. Click Resolve to finish.", ["Open the job.", "Click Resolve to finish."]),
])
def test_a_sentence_that_points_back_stays_with_the_one_before(paragraph: str, expected: list[str]) -> None:
    """Alone, "Use it to answer…" says nothing about what "it" is; with its predecessor it answers."""
    assert paragraph_sentences(paragraph) == expected
