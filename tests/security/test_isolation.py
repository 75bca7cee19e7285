"""Isolation: a customer never receives another account's data nor its own vendor-only records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts.access import Audience
from assistant.principal import Principal
from bench.security.isolation import (
    check_conversation_claim,
    check_conversation_oracle,
    leaked,
    make_probes,
    run_controls,
    run_probe,
)
from bench.security.report import FamilyReport
from bench.security.transport import CliTransport, InProcessTransport, Received
from bench.security.workspace import PlantedWorkspace
from tests.security.conftest import AS_OF

Planted = tuple[PlantedWorkspace, Any]


def test_every_canary_is_found_by_someone_allowed_to_see_it(planted: Planted) -> None:
    ws, services = planted
    report = FamilyReport(family="isolation")
    run_controls(ws, InProcessTransport(services, AS_OF), report)
    assert report.metrics["controls.in-process"].startswith("10/10"), report.metrics  # the probes are not blind


def test_randomised_probes_leak_nothing(planted: Planted) -> None:
    ws, services = planted
    report = FamilyReport(family="isolation")
    transport = InProcessTransport(services, AS_OF)
    for probe in make_probes(ws, 120, seed=3):
        run_probe(probe, transport, ws, report)
    assert report.probes == 120
    assert report.failures == 0, report.examples


def test_probes_through_the_cli_leak_nothing(planted: Planted, planted_data_dir: Path) -> None:
    ws, _ = planted
    report = FamilyReport(family="isolation")
    transport = CliTransport(planted_data_dir, AS_OF)
    for probe in make_probes(ws, 6, seed=4):
        run_probe(probe, transport, ws, report)
    assert report.failures == 0, report.examples


def test_the_leak_detector_sees_leaks(planted: Planted) -> None:
    ws, _ = planted
    acme = Principal(Audience.CUSTOMER, "acme")
    own_visible = Received("ok", text=f"your code {ws.canaries['acme']['cus']}")
    assert leaked(ws, acme, own_visible) == []
    for word in (ws.canaries["acme"]["int"], ws.canaries["acme"]["adv"], ws.canaries["globex"]["cus"]):
        assert leaked(ws, acme, Received("ok", citations=[{"snippet": f"... {word.upper()} ..."}])), word


def test_a_caller_cannot_choose_a_conversation_id(planted: Planted) -> None:
    ws, services = planted
    report = FamilyReport(family="isolation")
    check_conversation_claim(InProcessTransport(services, AS_OF), ws, report)
    assert report.failures == 0, report.examples


def test_a_refusal_does_not_confirm_that_a_conversation_exists(planted: Planted) -> None:
    ws, services = planted
    report = FamilyReport(family="isolation")
    check_conversation_oracle(InProcessTransport(services, AS_OF), ws, report)
    assert report.failures == 0, report.examples
