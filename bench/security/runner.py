"""`run_security(options) -> SecurityReport`: every probe family, one call (and one command).

Isolation and injection share one planted workspace, ingested once in this process; crash,
hostile and scale run their own children. Options.quick() is the small run the tests mirror.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.security.report import FamilyReport, SecurityReport
from bench.security.transport import Transport
from bench.security.workspace import PlantedWorkspace, build_planted

FAMILIES = ("isolation", "injection", "crash", "hostile", "scale")
TRANSPORTS = ("in-process", "cli", "http", "slack")  # the first gets every probe, the others a tenth
NEEDS = {"http": ("fastapi", "httpx"), "slack": ("fastapi", "httpx", "slack_bolt", "tests.integration.slack")}
AS_OF = dt.date(2026, 11, 16)


@dataclass(frozen=True)
class Options:
    """What to run and how big. The defaults are the full run; `quick()` is a CI-sized one."""

    families: tuple[str, ...] = FAMILIES
    quick: bool = False
    seed: int = 1
    work_dir: Path | None = None
    accounts: tuple[str, ...] | None = None  # None: every demo account
    docs: int | None = None  # None: every demo doc
    probes: int = 1000
    transports: tuple[str, ...] | None = None  # None: every available one (available_transports())
    questions: int = 4
    with_model: bool = True
    kills: int = 20
    crash_accounts: tuple[str, ...] = ("globex", "acme")
    crash_docs: int = 3
    chunk_sizes: tuple[int, ...] = (50_000, 500_000, 5_000_000)
    scale_mb: float = 2.0
    scale_timeout_s: float = 300.0

    @classmethod
    def quick_run(cls, **overrides: object) -> Options:
        base = cls(quick=True, accounts=("globex", "acme", "contoso"), docs=4, probes=150, questions=1, kills=2,
                   crash_accounts=("globex",), crash_docs=2, chunk_sizes=(50_000, 200_000), scale_mb=0.0,
                   scale_timeout_s=60.0)
        return replace(base, **overrides)  # type: ignore[arg-type]


@dataclass
class _Shared:
    """The planted workspace and its services, built on first use by isolation or injection."""

    options: Options
    work: Path
    built: tuple[PlantedWorkspace, object] | None = field(default=None)

    def get(self) -> tuple[PlantedWorkspace, object]:
        if self.built is None:
            from integrations.settings import Settings
            from integrations.wiring import Services

            ws = build_planted(self.work / "planted", accounts=self.options.accounts, docs=self.options.docs,
                               seed=self.options.seed)
            services = Services(Settings(data_dir=self.work / "planted-data"))
            services.ingestor().ingest(ws.path)
            self.built = (ws, services)
        return self.built


def available_transports() -> tuple[str, ...]:
    """The transports whose edge can run here (HTTP needs FastAPI, Slack also Bolt and its API stand-in)."""
    import importlib.util

    def present(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            return False

    return tuple(t for t in TRANSPORTS if all(present(m) for m in NEEDS.get(t, ())))


def make_transport(name: str, services: object, data_dir: Path) -> Transport:
    """One transport by name, over the planted data dir (the edges build their own app on it, as a server does)."""
    from bench.security.transport import CliTransport, InProcessTransport

    if name == "in-process":
        return InProcessTransport(services, AS_OF)  # type: ignore[arg-type]
    if name == "cli":
        return CliTransport(data_dir, AS_OF)
    if name == "http":
        from bench.security.transport_http import HttpTransport

        return HttpTransport(data_dir, AS_OF)
    if name == "slack":
        from bench.security.transport_slack import SlackTransport

        return SlackTransport(data_dir, AS_OF)
    raise ValueError(f"unknown transport {name!r}: one of {', '.join(TRANSPORTS)}")


def _isolation(shared: _Shared, report: FamilyReport) -> None:
    from bench.security.isolation import run_isolation

    ws, services = shared.get()
    names = shared.options.transports or available_transports()
    transports = [make_transport(name, services, shared.work / "planted-data") for name in names]
    try:
        run_isolation(ws, transports, shared.options.probes, shared.options.seed, report)
    finally:
        for transport in transports:
            close = getattr(transport, "close", None)
            if callable(close):
                close()


def _injection(shared: _Shared, report: FamilyReport) -> None:
    from bench.security.injection import run_injection

    ws, services = shared.get()
    run_injection(services, ws, AS_OF, shared.options.questions, report,  # type: ignore[arg-type]
                  with_model=shared.options.with_model)


def _crash(shared: _Shared, report: FamilyReport) -> None:
    from bench.security.crash import run_crash

    o = shared.options
    run_crash(shared.work / "crash", o.kills, o.seed, report, accounts=list(o.crash_accounts), docs=o.crash_docs)


def _hostile(shared: _Shared, report: FamilyReport) -> None:
    from bench.security.hostile import run_hostile

    run_hostile(shared.work / "hostile", report, quick=shared.options.quick)


def _scale(shared: _Shared, report: FamilyReport) -> None:
    from bench.security.scale import run_scale

    o = shared.options
    run_scale(shared.work, report, sizes=list(o.chunk_sizes), ingest_mb=o.scale_mb, timeout_s=o.scale_timeout_s)


RUNNERS: dict[str, Callable[[_Shared, FamilyReport], None]] = {
    "isolation": _isolation, "injection": _injection, "crash": _crash, "hostile": _hostile, "scale": _scale,
}


def run_security(options: Options | None = None, progress: Callable[[str], None] | None = None,
                 on_family: Callable[[SecurityReport], None] | None = None) -> SecurityReport:
    """Run the chosen families and return their report; a family that crashes is reported, not raised.

    `on_family` sees the report so far after each family (e.g. to save it: a long run keeps what it measured).
    """
    options = options or Options()
    logging.getLogger("assistant").setLevel(logging.ERROR)  # degraded-answer warnings are expected here
    report = SecurityReport(quick=options.quick)
    with tempfile.TemporaryDirectory(prefix="advocate-security-") as tmp:
        work = options.work_dir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        shared = _Shared(options, work)
        for name in options.families:
            family = FamilyReport(family=name)
            started = time.perf_counter()
            if progress:
                progress(f"running {name}…")
            try:
                RUNNERS[name](shared, family)
            except Exception as err:  # a harness or setup failure is a finding, and the other families still run
                family.failed(f"{name} family", f"stopped: {type(err).__name__}: {err}")
            family.seconds = round(time.perf_counter() - started, 1)
            report.families.append(family)
            if on_family:
                on_family(report)
    return report
