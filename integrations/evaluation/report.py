"""From scored answers to the numbers: per set, audience and system; a table, JSON, and gates.

Rates are over the questions a metric applies to (a question without required facts does not count
for answer accuracy); `n/a` when none does. Leaks are a count: one is too many.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from accounts.errors import BadRequest
from integrations.evaluation.runner import ADVOCATE, Result, SetRun

METRICS = ("answer_accuracy", "kind_accuracy", "intent_accuracy", "citation_recall", "citation_precision",
           "doc_in_top3", "false_not_found", "leaks", "p95_ms", "median_words")
HEADERS = ("set", "audience", "system", "n", "answer", "kinds", "intent", "cite rec", "cite prec", "doc@3",
           "not found", "leaks", "p95 ms", "words")
AUDIENCES = ("csm", "manager", "customer", "all")


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def _rate(flags: Iterable[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return sum(known) / len(known) if known else None


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def kind_accuracy(results: list[Result]) -> float | None:
    """Share of kinds whose every phrasing is answered right: robustness to how a question is put."""
    by_kind: dict[str, list[bool]] = {}
    for r in results:
        if r.score.facts_ok is not None:
            by_kind.setdefault(r.question.kind, []).append(r.score.facts_ok)
    return _rate(all(oks) for oks in by_kind.values())


def metrics(results: list[Result]) -> dict[str, Any]:
    scores = [r.score for r in results]
    return {
        "n": len(results),
        "answer_accuracy": _rate(s.facts_ok for s in scores),
        "kind_accuracy": kind_accuracy(results),
        "intent_accuracy": _rate(s.intent_ok for s in scores),
        "citation_recall": _mean(s.cite_recall for s in scores),
        "citation_precision": _mean(s.cite_precision for s in scores),
        "doc_in_top3": _rate(s.doc_in_top3 for s in scores),
        "false_not_found": _rate(s.false_not_found for s in scores) if scores else None,
        "leaks": sum(len(s.leaks) for s in scores),
        "p95_ms": round(percentile([s.seconds * 1000 for s in scores], 95), 1),
        "median_words": percentile([len(r.answer.split()) for r in results], 50),
        "passed": _rate(s.passed for s in scores),
    }


def summarize(runs: Mapping[str, SetRun]) -> list[dict[str, Any]]:
    """One row per set × audience (and `all`) × system."""
    rows = []
    for set_name, run in runs.items():
        systems = list(dict.fromkeys(r.system for r in run.results))
        for audience in AUDIENCES:
            for system in systems:
                picked = [r for r in run.results if r.system == system
                          and (audience == "all" or r.question.audience == audience)]
                if picked:
                    rows.append({"set": set_name, "audience": audience, "system": system, **metrics(picked)})
    return rows


def _cell(value: Any, metric: str) -> str:
    if value is None:
        return "n/a"
    if metric in ("leaks", "n", "median_words"):
        return str(int(value))
    if metric == "p95_ms":
        return f"{value:.0f}"
    return f"{100 * value:.0f}%"


def render_table(rows: list[dict[str, Any]]) -> str:
    """A plain aligned table, one line per row; baseline rows sit under the assistant's."""
    keys = ("set", "audience", "system", "n", *METRICS)
    cells = [list(HEADERS)] + [[_cell(r[k], k) if k not in ("set", "audience", "system") else r[k] for k in keys]
                               for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(keys))]
    lines = ["  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_failures(results: list[Result], limit: int) -> str:
    failed = [r for r in results if r.system == ADVOCATE and not r.score.passed][:limit]
    out = []
    for r in failed:
        s, q = r.score, r.question
        problems = [f"missing {s.missing_facts}" if s.missing_facts else "",
                    f"intent {s.intent} not in {list(q.intents)}" if s.intent_ok is False else "",
                    f"uncited {s.missing_cites}" if s.missing_cites else "",
                    "false not-found" if s.false_not_found else "", f"LEAK {s.leaks}" if s.leaks else ""]
        out.append(f"- {r.set_name}/{q.id} [{q.audience}] {q.question!r}: {'; '.join(p for p in problems if p)}")
        out.append(f"    answered: {' '.join(r.answer.split())[:140]}")
    return "\n".join(out)


def load_gates(path: Path) -> dict[str, dict[str, float]]:
    """Thresholds: `min` and `max` maps of metric -> bound, optionally per set (`sets: {name: {...}}`)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise BadRequest(f"{path}: cannot read the gates: {err}".splitlines()[0]) from None
    for bound in ("min", "max"):
        unknown = set(raw.get(bound) or {}) - set(METRICS)
        if unknown:
            raise BadRequest(f"{path}: unknown metrics under {bound}: {sorted(unknown)}")
    return raw  # type: ignore[no-any-return]


def check_gates(rows: list[dict[str, Any]], gates: Mapping[str, Any]) -> list[str]:
    """Every assistant row (each audience and `all`) below a `min` or above a `max`; empty when all pass."""
    failures = []
    for row in rows:
        if row["system"] != ADVOCATE:
            continue
        per_set = (gates.get("sets") or {}).get(row["set"]) or {}
        for bound in ("min", "max"):
            limits = {**(gates.get(bound) or {}), **(per_set.get(bound) or {})}
            for metric, limit in limits.items():
                value = row.get(metric)
                if value is None:
                    continue
                if (value < limit) if bound == "min" else (value > limit):
                    failures.append(f"{row['set']}/{row['audience']}: {metric} {_cell(value, metric)} "
                                    f"{'<' if bound == 'min' else '>'} {_cell(limit, metric)}")
    return failures


def to_json(runs: Mapping[str, SetRun], rows: list[dict[str, Any]], gate_failures: list[str] | None) -> dict[str, Any]:
    return {
        "summary": rows,
        "timing": {name: {"ingest_seconds": round(run.ingest_seconds, 1), "run_seconds": round(run.run_seconds, 1)}
                   for name, run in runs.items()},
        "gates": None if gate_failures is None else {"passed": not gate_failures, "failures": gate_failures},
        "questions": [
            {"set": r.set_name, "system": r.system, "id": r.question.id, "kind": r.question.kind,
             "audience": r.question.audience, "split": r.question.split, "question": r.question.question,
             "answer": r.answer, "mode": r.mode, "cited": r.cited, "passed": r.score.passed, "intent": r.score.intent,
             "missing_facts": r.score.missing_facts, "missing_cites": r.score.missing_cites,
             "irrelevant_cites": r.score.irrelevant_cites, "doc_in_top3": r.score.doc_in_top3,
             "false_not_found": r.score.false_not_found,
             "leaks": r.score.leaks, "ms": round(r.score.seconds * 1000, 1)}
            for run in runs.values() for r in run.results
        ],
    }
