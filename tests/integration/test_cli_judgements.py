"""The judgement commands on the ingested demo: one CSM's portfolio loads only that CSM's accounts and
says exactly what the whole-book computation says; unknown accounts and CSMs are clear errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import DEMO_AS_OF, CliResult
from tools.portfolio import summarize_portfolio


def test_csm_portfolio_matches_the_whole_book(
    demo_data_dir: Path, demo_services: Any, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("portfolio", "--csm", "dana", "--as-of", DEMO_AS_OF, "--json", "--data-dir", str(demo_data_dir))
    assert result.code == 0, result.err
    whole = summarize_portfolio(demo_services.book(), as_of=dt.date.fromisoformat(DEMO_AS_OF),
                                config=demo_services.judgement_config, csm="dana")
    assert json.loads(result.out) == whole.model_dump(mode="json")
    assert json.loads(result.out)["accounts"] == len(demo_services.csm_book("dana").account_ids()) < 16


def test_unknown_csm_and_account_are_exit_2(demo_data_dir: Path, run_cli: Callable[..., CliResult]) -> None:
    csm = run_cli("portfolio", "--csm", "danna@fieldloop.example", "--data-dir", str(demo_data_dir))
    assert csm.code == 2 and "dana@fieldloop.example" in csm.err and "Traceback" not in csm.err
    account = run_cli("health", "globx", "--data-dir", str(demo_data_dir))
    assert account.code == 2 and "globex" in account.err
    date = run_cli("health", "globex", "--as-of", "2026-02-30", "--data-dir", str(demo_data_dir))
    assert date.code == 2 and "--as-of" in date.err
