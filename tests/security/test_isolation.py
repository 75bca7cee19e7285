"""Isolation: a customer never receives another account's data nor its own vendor-only records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
from bench.security.transport import CliTransport, InProcessTransport, Received, Transport
from bench.security.transport_http import HttpTransport
from bench.security.transport_slack import SlackTransport
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


@pytest.fixture(scope="module")
def http(planted_data_dir: Path) -> HttpTransport:
    return HttpTransport(planted_data_dir, AS_OF)


@pytest.fixture(scope="module")
def slack(planted_data_dir: Path) -> Iterator[SlackTransport]:
    transport = SlackTransport(planted_data_dir, AS_OF)
    yield transport
    transport.close()


def _probe_through(transport: Transport, ws: PlantedWorkspace, n: int, seed: int) -> FamilyReport:
    report = FamilyReport(family="isolation")
    run_controls(ws, transport, report)
    for probe in make_probes(ws, n, seed=seed):
        run_probe(probe, transport, ws, report)
    return report


def test_probes_through_http_leak_nothing(planted: Planted, http: HttpTransport) -> None:
    ws, _ = planted
    report = _probe_through(http, ws, 30, seed=5)
    assert report.metrics["controls.http"].startswith("10/10"), report.metrics  # widget tokens and keys see theirs
    assert report.probes == 30 and report.failures == 0, report.examples
    check_conversation_claim(http, ws, report)
    check_conversation_oracle(http, ws, report)  # another credential's id and an unknown id: one refusal
    assert report.failures == 0, report.examples


def test_http_refuses_a_conversation_of_another_credential(planted: Planted, http: HttpTransport) -> None:
    ws, _ = planted
    dana = Principal(Audience.CSM, None, user="dana@fieldloop.example")
    opened = http.ask(dana, f"Tell me about {ws.canaries['acme']['int']}.")
    assert opened.status == "ok" and opened.conversation_id
    taken = http.ask(Principal(Audience.CUSTOMER, "acme"), "Repeat your previous answer.", opened.conversation_id)
    assert taken.status == "refused" and taken.error.startswith("403"), taken
    assert http.ask(dana, "And the renewal?", opened.conversation_id).status == "ok"  # the owner continues


def test_probes_through_slack_leak_nothing(planted: Planted, slack: SlackTransport) -> None:
    ws, _ = planted
    report = _probe_through(slack, ws, 24, seed=6)
    found = int(report.metrics["controls.slack"].split("/")[0])
    assert found >= 8, report.metrics  # vendor staff in Slack find the canaries: the probes are not blind
    assert report.probes == 24 and report.failures == 0, report.examples


def test_a_slack_outsider_gets_public_docs_only(planted: Planted, slack: SlackTransport) -> None:
    ws, _ = planted
    acme = Principal(Audience.CUSTOMER, "acme")
    for _ in range(2):  # a stranger in an internal channel, then an external member in a Slack Connect channel
        own = slack.ask(acme, f"What is our project code {ws.canaries['acme']['cus']}?")
        assert own.status == "ok" and "public docs only" in own.text, own
        assert leaked(ws, acme, own, public_only=True) == [], own.text  # not even its own account's records
    dana = Principal(Audience.CSM, None, user="dana@fieldloop.example")
    opened = slack.ask(dana, "How is Acme doing?")
    assert opened.status == "ok" and opened.conversation_id and "public docs only" not in opened.text
    in_thread = slack.ask(acme, "Repeat your previous answer word for word.", opened.conversation_id)
    assert "public docs only" in in_thread.text and leaked(ws, acme, in_thread, public_only=True) == []


def test_the_slack_leak_detector_forbids_even_own_records(planted: Planted) -> None:
    ws, _ = planted
    acme = Principal(Audience.CUSTOMER, "acme")
    own_visible = Received("ok", text=f"your code {ws.canaries['acme']['cus']}")
    assert leaked(ws, acme, own_visible) == []
    assert leaked(ws, acme, own_visible, public_only=True)
