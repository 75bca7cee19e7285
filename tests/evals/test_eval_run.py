"""`advocate eval` end to end: the bundled sets pass the gates (CI's measuring stick), the baseline reads
only what the asker may see, and the command caches its ingest and fails cleanly on bad input.

The gated run answers all of the bundled sets (about 1,130 questions, twice: assistant and baseline);
the demo reuses the session's ingested demo, the practice and held-out workspaces are ingested once here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accounts.access import Audience
from accounts.models import SourceKind, Visibility
from assistant.citations import record_index
from assistant.principal import Principal
from integrations.cli_eval import bundled_sets, find_bundled
from integrations.evaluation.baseline import PlainRag
from integrations.evaluation.questions import load_question_set
from integrations.evaluation.report import check_gates, load_gates, summarize
from integrations.evaluation.runner import BASELINE, SetRun, run_set

SETS = {p.stem: load_question_set(p) for p in bundled_sets()}


@pytest.fixture(scope="module")
def runs(demo_services: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SetRun]:
    work = tmp_path_factory.mktemp("eval-work")
    return {"demo": run_set(SETS["demo"], work, services=demo_services),
            "demo-customers": run_set(SETS["demo-customers"], work, services=demo_services),
            "practice": run_set(SETS["practice"], work),
            "heldout": run_set(SETS["heldout"], work)}


@pytest.mark.slow
def test_the_bundled_sets_pass_the_gates(runs: dict[str, SetRun]) -> None:
    rows = summarize(runs)
    failures = check_gates(rows, load_gates(find_bundled("gates.yaml")))
    assert not failures, failures
    demo_all = next(r for r in rows if (r["set"], r["audience"], r["system"]) == ("demo", "all", "advocate"))
    assert demo_all["n"] == len(SETS["demo"].questions) and demo_all["leaks"] == 0


@pytest.mark.slow
def test_the_baseline_cites_only_docs_and_the_customers_own_visible_records(runs: dict[str, SetRun],
                                                                             demo_services: Any,
                                                                             tmp_path: Path) -> None:
    customer_results = [r for run in runs.values() for r in run.results
                        if r.system == BASELINE and r.question.audience == "customer"]
    assert customer_results and all(not r.score.leaks for r in customer_results), \
        [(r.question.id, r.score.leaks) for r in customer_results if r.score.leaks]
    rag = PlainRag(demo_services, tmp_path / "rag")
    index = record_index(demo_services.book(None, include_docs=True))
    for question in ("Renewal risk is HIGH, service-credit authority", "Hooli expansion timing plan",
                     "discount authority competitor quote"):
        for source, record_id in rag.answer(question, Principal(Audience.CUSTOMER, "globex").scope()).citations:
            record = index[(SourceKind(source), record_id)]
            assert source == SourceKind.DOCS.value or (record.account_id == "globex"
                                                       and record.visibility is Visibility.CUSTOMER)


def test_eval_command_caches_its_ingest_prints_json_and_gates(run_cli: Callable[..., Any], tiny_workspace: Path,
                                                              tmp_path: Path) -> None:
    qset = tmp_path / "tiny.yaml"
    qset.write_text(f"""workspace: {tiny_workspace}
as_of: 2026-06-01
customer_never: [discount authority]
groups:
  - kind: sync
    audience: customer
    account: bolt
    facts: [sync conflict]
    cite: [[sync-conflicts.md, sync.md]]
    questions: ["How do I resolve a sync conflict?", "phones say sync conflict, what now?"]
  - kind: acme-status
    audience: csm
    about: [acme]
    facts: [Acme Corp]
    questions: ["How is Acme doing?"]
""", encoding="utf-8")
    work = tmp_path / "work"
    first = run_cli("eval", str(qset), "--json", "--work-dir", str(work))
    assert first.code == 0, first.err
    report = json.loads(first.out)
    assert report["timing"]["tiny"]["ingest_seconds"] > 0
    assert {(r["audience"], r["system"]) for r in report["summary"]} >= {("customer", "advocate"), ("all", "baseline")}
    assert len(report["questions"]) == 6 and report["gates"] is None
    second = run_cli("eval", str(qset), "--json", "--no-baseline", "--work-dir", str(work))
    assert json.loads(second.out)["timing"]["tiny"]["ingest_seconds"] == 0  # cached by content hash
    gates = tmp_path / "gates.yaml"
    gates.write_text("min: {answer_accuracy: 1.01}\n", encoding="utf-8")
    gated = run_cli("eval", str(qset), "--gate", "--gates", str(gates), "--no-baseline", "--work-dir", str(work))
    assert gated.code == 1 and "gates FAILED" in gated.out and "answer_accuracy" in gated.out


def test_eval_command_rejects_a_broken_set_in_one_line(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("workspace: nowhere\nas_of: 2026-06-01\n", encoding="utf-8")
    result = run_cli("eval", str(broken), "--work-dir", str(tmp_path / "w"))
    assert result.code == 2 and result.err.count("\n") == 1 and "broken.yaml" in result.err
    bad_split = run_cli("eval", "--split", "most", "--work-dir", str(tmp_path / "w"))
    assert bad_split.code == 2 and "--split" in bad_split.err
