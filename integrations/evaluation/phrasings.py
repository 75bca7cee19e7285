"""Write the labelled phrasings the learned intent scorer trains on (assistant/intent_phrasings.yaml).

They are vendor staff's questions whose intent is labelled: the tune split of the bundled question sets
and the planner's paraphrase cases (examples/paraphrases.yaml), account names masked as the planner
masks them. Held-out material never goes in: no `split: heldout` question, and not the held-out set.

    python -m integrations.evaluation.phrasings      # then: python -m assistant.intents --write-cache
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from accounts.workspace import read_workspace
from assistant.answer import vendor_mentions
from assistant.asker import Roster, book_roster
from assistant.intent_model import PHRASINGS_PATH, Phrasing
from assistant.planner import mask_accounts
from integrations.evaluation.questions import load_question_set

EVALS = Path(__file__).resolve().parents[2] / "examples" / "evals"
TUNE_SETS = ("demo.yaml", "practice.yaml")  # never heldout.yaml
PARAPHRASES = EVALS.parent / "paraphrases.yaml"
VENDOR = ("csm", "manager")


class Masker:
    """Masks the account names a vendor's question names, in one workspace."""

    def __init__(self, workspace: Path) -> None:
        book = read_workspace(workspace)
        self.directory = {a: acc.name for a, acc in book.accounts.items()}
        self.roster: Roster = book_roster(book)  # contacts too: "what did Richard say?" names his account

    def __call__(self, question: str) -> str:
        return mask_accounts(question, vendor_mentions(question, self.directory, self.roster).spans)


def from_question_sets(paths: Iterable[Path]) -> Iterator[Phrasing]:
    """Tune-split vendor questions with intents, asked on their own (a follow-up leans on its turns)."""
    for path in paths:
        qset = load_question_set(path)
        mask = Masker(qset.workspace)
        for q in qset.questions:
            if q.split == "tune" and q.audience in VENDOR and q.intents and not qset.turns_before(q):
                yield Phrasing(mask(q.question), q.intents)


def from_paraphrases(path: Path = PARAPHRASES, workspace: str | None = None) -> Iterator[Phrasing]:
    """The paraphrase cases vendor staff ask: [audience, account, question, intent] per workspace (or of one)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, folder in raw["workspaces"].items():
        if workspace not in (None, name):
            continue
        mask = Masker((path.parent / folder).resolve())
        for audience, _account, question, intent in raw[name]:
            if audience in VENDOR:
                yield Phrasing(mask(question), (intent,))


def collect() -> list[Phrasing]:
    """Every phrasing once (the first label wins), in source order."""
    seen: dict[str, Phrasing] = {}
    for phrasing in (*from_question_sets(EVALS / name for name in TUNE_SETS), *from_paraphrases()):
        seen.setdefault(phrasing.text.casefold(), phrasing)
    return list(seen.values())


HEADER = """\
# Labelled vendor questions (account names masked as the planner masks them) the learned intent scorer
# (assistant/intent_model.py) trains on, besides the examples in intents.yaml: [question, [intents]].
# Written by `python -m integrations.evaluation.phrasings` from the tune split of examples/evals/demo.yaml
# and practice.yaml and from examples/paraphrases.yaml; never from held-out questions. Do not edit:
# regenerate, then run `python -m assistant.intents --write-cache`.
"""


def render(phrasings: list[Phrasing]) -> str:
    """One phrasing a line (a JSON array is YAML too)."""
    lines = [f"  - {json.dumps([p.text, list(p.intents)], ensure_ascii=False)}" for p in phrasings]
    return HEADER + "phrasings:\n" + "\n".join(lines) + "\n"


def main() -> None:
    phrasings = collect()
    PHRASINGS_PATH.write_text(render(phrasings), encoding="utf-8")
    print(f"wrote {len(phrasings)} phrasings to {PHRASINGS_PATH}")


if __name__ == "__main__":
    main()
