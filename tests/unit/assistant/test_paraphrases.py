"""Paraphrases written for this planner (examples/paraphrases.yaml): each routes to the intent that answers it.

The demo and practice workspaces' accounts and CSMs; plans from the real planner and the bundled MiniLM model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from accounts.access import Audience
from accounts.workspace import read_workspace
from assistant.answer import make_plan
from assistant.asker import Roster, build_roster
from assistant.principal import Principal

from .test_understanding import plan

PARAPHRASES = Path(__file__).resolve().parents[3] / "examples" / "paraphrases.yaml"
PRACTICE = PARAPHRASES.parent / "practice-workspace"


def _cases(workspace: str) -> list[Any]:
    return [tuple(case) for case in yaml.safe_load(PARAPHRASES.read_text(encoding="utf-8"))[workspace]]


CASES = _cases("demo") + _cases("demo_measured")  # measured: demo questions the learned scorer never trained on
PRACTICE_ROUNDS = _cases("practice") + _cases("practice_measured")


@pytest.mark.parametrize(("audience", "account", "question", "intent"), CASES, ids=[c[2][:48] for c in CASES])
def test_paraphrase_routes(audience: str, account: str | None, question: str, intent: str) -> None:
    found = plan(question, Audience(audience), account)
    assert found.intent.value == intent, (found.rows, found.scores[:3])


@lru_cache(maxsize=1)
def _practice() -> tuple[dict[str, str], Roster]:
    book = read_workspace(PRACTICE)
    return {a: acc.name for a, acc in book.accounts.items()}, build_roster(list(book.accounts.values()))


@pytest.mark.parametrize(("audience", "account", "question", "intent"), PRACTICE_ROUNDS,
                         ids=[c[2][:48] for c in PRACTICE_ROUNDS])
def test_practice_paraphrase_routes(audience: str, account: str | None, question: str, intent: str) -> None:
    directory, roster = _practice()
    found = make_plan(question, Principal(Audience(audience), account), directory, None, roster=roster)
    assert found.intent.value == intent, (found.rows, found.scores[:3])
