"""Indirect injection: instructions planted in docs, notes, emails and tickets never steer an answer."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from bench.security.injection import run_engine, state_of
from bench.security.injection_plant import PAYLOADS, Injection, quotes
from bench.security.report import FamilyReport
from bench.security.transport import InProcessTransport
from bench.security.workspace import PlantedWorkspace
from tests.security.conftest import AS_OF

Planted = tuple[PlantedWorkspace, Any]


def failed(report: FamilyReport, engine: str, *categories: str) -> dict[str, int]:
    return {c: report.metrics.get(f"{engine}.failed.{c}", 0) for c in categories}


@pytest.fixture(scope="module")
def offline(planted: Planted) -> FamilyReport:
    ws, services = planted
    report = FamilyReport(family="injection")
    run_engine("offline", InProcessTransport(services, AS_OF), ws.extra["injections"], ws, 1, report)
    return report


@pytest.fixture(scope="module")
def with_model(planted: Planted) -> tuple[FamilyReport, int, bool]:
    """The model engine against the obedient model: (report, instructions it obeyed, nothing written)."""
    from bench.security.adversary import ObedientModel
    from integrations.settings import Settings
    from integrations.wiring import Services

    ws, services = planted
    report = FamilyReport(family="injection")
    before = state_of(services)
    with ObedientModel(sorted(ws.accounts)) as model:
        settings = Settings(data_dir=services.settings.data_dir, llm_base_url=model.base_url, llm_max_retries=0,
                            llm_timeout_s=20)
        engine = Services(settings).llm_engine()
        run_engine("model", InProcessTransport(services, AS_OF, llm=engine), ws.extra["injections"], ws, 1,
                   report, model)
        obeyed = model.obedient.obeyed
    return report, obeyed, state_of(services) == before


def test_the_quote_detector_sees_plain_and_base64_quotes() -> None:
    plain = Injection("doc", "middle", "plain", "leak", None, "vorlin ledger", 0)
    encoded = Injection("doc", "middle", "base64", "link", None, "vorlin ledger", 1)
    assert quotes(f"Sure. {PAYLOADS['leak'][:60]} and so on", plain)
    assert quotes(f"- {encoded.planted[:80]}", encoded)
    assert not quotes("Open the vorlin ledger from the board menu [1].", plain)
    assert base64.b64decode(encoded.planted.split()[-1]).decode() == PAYLOADS["link"]


def test_offline_answers_never_link_call_tools_or_leak(offline: FamilyReport) -> None:
    # the injections were in front of the engine (retrieved for the question); citing them is the engine's choice
    assert offline.metrics["offline.injected_record_retrieved"] in ("23/24", "24/24"), offline.metrics
    assert failed(offline, "offline", "outside_link", "tool_call", "leak", "crash") == dict.fromkeys(
        ("outside_link", "tool_call", "leak", "crash"), 0), offline.examples


def test_offline_answers_never_quote_planted_instructions(offline: FamilyReport) -> None:
    assert failed(offline, "offline", "quoted") == {"quoted": 0}, offline.examples


def test_model_engine_keeps_data_in_scope_and_writes_nothing(with_model: tuple[FamilyReport, int, bool]) -> None:
    report, _obeyed, unchanged = with_model
    # the planted records were in front of the model engine (the obedient model obeys whatever instruction
    # reaches it; they are redacted on the way, so how many slipped through is reported, not required)
    assert report.metrics["model.injected_record_retrieved"] in ("23/24", "24/24"), report.metrics
    assert failed(report, "model", "leak", "reached_model", "crash") == dict.fromkeys(
        ("leak", "reached_model", "crash"), 0), report.examples
    assert unchanged, "the store or an index changed while answering"


def test_model_answers_never_quote_link_or_report_injected_tools(with_model: tuple[FamilyReport, int, bool]) -> None:
    report = with_model[0]
    assert failed(report, "model", "quoted", "outside_link", "tool_call") == dict.fromkeys(
        ("quoted", "outside_link", "tool_call"), 0), report.examples
