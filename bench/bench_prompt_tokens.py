"""Prompt tokens per answer with a model: the real LLM engine and ChatOpenAI, against a local stub.

    python bench/bench_prompt_tokens.py [--data-dir bench/out/answer]

For every question of tests/evals/answer_questions.yaml (demo workspace, as of 2026-11-16) the
question is planned and gathered as `assistant.answer` does, then answered by the LLM engine talking
to the local OpenAI-compatible test server (which answers with plain text at once). Reported: the
prompt tokens the engine packed (tiktoken), per audience. Default budget 3,000 (issue 4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from pathlib import Path

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounts.access import Audience
from assistant.answer import make_plan
from assistant.engine_llm import build_llm_engine
from assistant.gather import gather
from assistant.principal import Principal
from assistant.toolset import judgement_tool_factory
from bench.bench_answer import percentile
from integrations.settings import Settings
from integrations.wiring import Services
from tests.integration.openai_stub import OpenAIStub, Reply

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 16)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=REPO / "bench" / "out" / "answer")
    args = parser.parse_args()
    cases = yaml.safe_load((REPO / "tests" / "evals" / "answer_questions.yaml").read_text())["cases"]
    with OpenAIStub() as stub:
        stub.answer_always(Reply(text="Here is the answer [1]."))
        settings = Settings(data_dir=args.data_dir, llm_base_url=stub.base_url)
        svc = Services(settings)
        if svc.store.meta("ingested_at") is None:
            print(svc.ingestor().ingest(REPO / "examples" / "demo-workspace").line())
        engine = build_llm_engine(settings, search=svc.retriever,
                                  judgement_tools=judgement_tool_factory(svc.book, svc.judgement_config))
        tokens: dict[str, list[float]] = {a.value: [] for a in Audience}
        directory = svc.store.account_directory()
        for case in cases:
            principal = Principal(Audience(case["audience"]), case.get("account"), user="bench")
            plan = make_plan(case["question"], principal, directory, None)
            findings = gather(plan, principal, svc, AS_OF, directory)
            report = engine.run(case["question"], principal, as_of=AS_OF, passages=findings.passages, plan=plan).report
            tokens[case["audience"]].append(report.prompt_tokens)
    every = [t for ts in tokens.values() for t in ts]
    print(f"budget {settings.llm_prompt_token_budget} prompt tokens; {len(every)} questions")
    print("| audience | answers | p50 | p95 | max |\n|---|---|---|---|---|")
    for label, values in [("all", every), *tokens.items()]:
        print(f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | "
              f"{max(values):.0f} |")


if __name__ == "__main__":
    main()
