"""The shared contract checker (../shared/checks/contract_check.py) passes on the demo workspace."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import DEMO_AS_OF, DEMO_WORKSPACE, REPO

CHECKER = REPO.parent / "shared" / "checks" / "contract_check.py"


def test_contract_check_passes_on_the_demo_workspace() -> None:
    if not CHECKER.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHECKER} is missing: CI runs with shared/ beside the clone")
        pytest.skip("shared/checks/contract_check.py is not beside this clone")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVOCATE_LLM", "OPENAI"))}
    env["PATH"] = f"{os.path.dirname(sys.executable)}{os.pathsep}{env.get('PATH', '')}"  # this venv's `advocate`
    done = subprocess.run(
        [sys.executable, str(CHECKER), str(DEMO_WORKSPACE), "globex", "--as-of", DEMO_AS_OF],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "contract: 0 problem(s)" in done.stdout
