"""The bundled question sets: as large and as varied as the brief asks, and every label points at real data.

A label naming a record that does not exist would make a question impossible to pass (or a leak
impossible to catch), so each cited id, account, user and follow-up is checked against the workspace.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from accounts.errors import BadRequest
from accounts.models import SourceKind, Visibility
from accounts.workspace import read_workspace
from assistant.citations import record_index
from integrations.cli_eval import bundled_sets
from integrations.evaluation.questions import QuestionSet, load_question_set
from integrations.evaluation.scoring import id_matches, options

SETS = {p.stem: load_question_set(p) for p in bundled_sets()}


def test_the_bundled_sets_are_the_demo_the_practice_and_the_held_out_workspace() -> None:
    assert set(SETS) == {"demo", "demo-customers", "practice", "heldout"}
    assert SETS["demo"].workspace.name == SETS["demo-customers"].workspace.name == "demo-workspace"
    assert SETS["practice"].workspace.name == "practice-workspace"
    assert SETS["heldout"].workspace.name == "heldout-workspace"


@pytest.mark.parametrize(("name", "at_least"), [("demo", 250), ("practice", 130), ("heldout", 100)])
def test_each_set_is_big_varied_and_covers_every_audience(name: str, at_least: int) -> None:
    qset = SETS[name]
    assert len(qset.questions) >= at_least
    assert {q.audience for q in qset.questions} == {"csm", "manager", "customer"}
    kinds = Counter(q.kind for q in qset.questions)
    assert min(kinds.values()) >= 3, [k for k, n in kinds.items() if n < 3]
    assert sum(1 for q in qset.questions if q.follow_up_of or q.conversation) >= 6


def test_the_demo_holds_out_about_a_third_by_whole_kinds() -> None:
    questions = SETS["demo"].questions
    held = [q for q in questions if q.split == "heldout"]
    assert 0.25 <= len(held) / len(questions) <= 0.35
    split_of: dict[str, set[str]] = {}
    for q in questions:
        split_of.setdefault(q.kind, set()).add(q.split)
    assert all(len(splits) == 1 for splits in split_of.values())


@pytest.mark.parametrize("name", ["demo", "demo-customers", "practice", "heldout"])
def test_every_label_names_real_records_accounts_and_users(name: str) -> None:
    qset: QuestionSet = SETS[name]
    book = read_workspace(qset.workspace)
    index = record_index(book)
    ids = {record_id for _, record_id in index}
    csms = {a.csm for a in book.accounts.values()}
    problems = []
    for q in qset.questions:
        for expected in [o for item in q.cite for o in options(item)] + list(q.relevant):
            if not any(id_matches(i, expected) for i in ids):
                problems.append(f"{q.id}: cites unknown {expected}")
        if q.audience == "customer":  # a customer can only be expected to see docs and its own visible records
            problems += [f"{q.id}: a customer cannot see {key[1]}" for key, record in index.items()
                         if any(id_matches(key[1], o) for item in q.cite for o in options(item))
                         and key[0] is not SourceKind.DOCS
                         and (record.account_id != q.account
                              or getattr(record, "visibility", Visibility.CUSTOMER) is Visibility.INTERNAL)]
        problems += [f"{q.id}: unknown account {a}" for a in (*q.about, q.account) if a and a not in book.accounts]
        if q.user and q.user not in csms:
            problems.append(f"{q.id}: unknown user {q.user}")
        if q.audience == "customer" and not q.account:
            problems.append(f"{q.id}: a customer question needs the asking account")
    assert not problems, problems


def test_the_held_out_workspace_shares_nothing_with_the_demo() -> None:
    demo, other = (read_workspace(SETS[n].workspace) for n in ("demo", "heldout"))
    assert not set(demo.accounts) & set(other.accounts)
    assert not {d.path for d in demo.docs} & {d.path for d in other.docs}
    assert all("FieldLoop" not in d.body for d in other.docs)


def test_the_practice_workspace_shares_no_account_with_the_others() -> None:
    """A tuning workspace with the held-out workspace's accounts would let a rule tuned on one reach the other."""
    practice = read_workspace(SETS["practice"].workspace)
    for name in ("demo", "heldout"):
        other = read_workspace(SETS[name].workspace)
        assert not set(practice.accounts) & set(other.accounts)
        assert not {a.name.split()[0].lower() for a in practice.accounts.values()} & \
            {a.name.split()[0].lower() for a in other.accounts.values()}
    assert all("FieldLoop" not in d.body for d in practice.docs)


def test_follow_ups_replay_their_earlier_turns_in_order() -> None:
    qset = SETS["demo"]
    follow_up = qset.by_id()["fu-globex-then-acme"]
    assert qset.turns_before(follow_up) == [qset.by_id()["csm-globex-status-1"].question]
    with_turns = qset.by_id()["fu-acme-next"]
    assert qset.turns_before(with_turns) == ["how's acme doing?"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(f"workspace: {SETS['demo'].workspace}\nas_of: 2026-11-16\n{body}", encoding="utf-8")
    return path


def test_groups_expand_into_labelled_questions_and_yaml_dates_become_text(tmp_path: Path) -> None:
    qset = load_question_set(_write(tmp_path, """groups:
  - kind: k
    audience: csm
    facts: [[2026-09-04, "73 days"], 600]
    questions: [one, {question: two, id: custom, facts: [x]}]
"""))
    first, second = qset.questions
    assert (first.id, first.kind, first.facts) == ("k-1", "k", (["2026-09-04", "73 days"], "600"))
    assert (second.id, second.facts) == ("custom", ("x",))


@pytest.mark.parametrize(("body", "message"), [
    ("groups:\n  - kind: k\n    audience: csm\n    questions: [a: [b\n", "line"),
    ("groups:\n  - kind: k\n    audience: robot\n    questions: [hi]\n", "question k-1: audience"),
    ("groups:\n  - kind: k\n    audience: csm\n    colour: red\n    questions: [hi]\n", "unknown group keys"),
    ("questions:\n  - {id: a, kind: k, audience: csm, question: hi}\n"
     "  - {id: a, kind: k, audience: csm, question: ho}\n", "duplicate question ids"),
    ("questions:\n  - {id: a, kind: k, audience: csm, question: hi, follow_up_of: nope}\n", "unknown question"),
])
def test_a_broken_set_is_one_line_naming_the_file(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(BadRequest) as err:
        load_question_set(_write(tmp_path, body))
    assert str(tmp_path / "set.yaml") in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)
