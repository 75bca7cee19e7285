"""Block Kit payloads stay within Slack's limits and never carry Slack markup from the workspace."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.slack import blocks as bk
from integrations.slack.bot import question_of


def _check_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= bk.MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= bk.MAX_SECTION_CHARS
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= bk.MAX_HEADER_CHARS
        if block["type"] == "context":
            assert len(block["elements"]) <= bk.MAX_CONTEXT_ELEMENTS


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.text(min_size=0, max_size=5000), max_size=80),
       citations=st.integers(min_value=0, max_value=120), name=st.text(max_size=400))
def test_any_answer_fits_slacks_limits(paragraphs: list[str], citations: int, name: str) -> None:
    answer = {"answer": "\n\n".join(paragraphs), "conversation_id": "c1",
              "citations": [{"id": f"a-{n}", "source": "activities", "title": "t" * 50} for n in range(citations)]}
    _check_limits(bk.answer_blocks(answer, account=(name or "x", "red"), next_actions=["call"] * 30,
                                   evidence_key="k"))


def test_a_long_answer_is_split_between_paragraphs_and_the_overflow_is_said() -> None:
    answer = {"answer": "\n\n".join(f"paragraph {n} " + "x" * 2000 for n in range(120)), "citations": []}
    blocks = bk.answer_blocks(answer)
    _check_limits(blocks)
    assert blocks[-1]["type"] == "context" and "more parts left out" in json.dumps(blocks[-1])


def test_workspace_text_cannot_ping_or_link_in_slack_syntax() -> None:
    text = bk.mrkdwn("Hi <!channel> see <https://evil.example|here> & **bold** [docs](https://docs.example/a)")
    assert "<!channel>" not in text and "<https://evil.example|" not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert "*bold*" in text and "<https://docs.example/a|docs>" in text


def test_only_http_links_become_slack_links() -> None:
    assert "<javascript" not in bk.mrkdwn("[x](javascript:alert(1))")


def test_the_mention_is_not_part_of_the_question() -> None:
    assert question_of("<@U0BOT> how is  acme?") == "how is acme?"
    assert question_of("<@U0BOT|advocate>") == ""


def test_digest_blocks_split_long_lists_by_line() -> None:
    lines = [f"**Account {n}**: " + "y" * 150 for n in range(200)]
    blocks = bk.digest_blocks("Weekly digest", "200 changes", [("New risks", lines)])
    _check_limits(blocks)
    assert blocks[0]["type"] == "header"
