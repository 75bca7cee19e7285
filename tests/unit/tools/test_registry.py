"""The LangChain tools: names, pydantic schemas, JSON-able results, errors the model can read."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.unit.tools.factory import AS_OF, CONFIG, book, healthy
from tools.registry import MODEL_BAND_LIST, AdvocacyInput, HealthInput, PortfolioInput, build_judgement_tools

TOOLS_DIR = Path(__file__).resolve().parents[3] / "tools"


def tools():  # type: ignore[no-untyped-def]
    b = book(healthy(), healthy("beta", csm="lee"))
    return {t.name: t for t in build_judgement_tools(lambda: b, CONFIG, AS_OF)}


def test_three_tools_with_pydantic_schemas_and_descriptions() -> None:
    found = tools()
    assert set(found) == {"health", "advocacy_check", "portfolio"}
    assert found["health"].args_schema is HealthInput
    assert found["advocacy_check"].args_schema is AdvocacyInput
    assert found["portfolio"].args_schema is PortfolioInput
    assert found["health"].description.startswith("How is this customer doing?")
    assert all("\n" not in t.description for t in found.values())


def test_results_are_the_contract_json() -> None:
    found = tools()
    health = found["health"].invoke({"account_id": "acme"})
    assert health["band"] == "green" and health["as_of"] == "2026-06-30"
    older = found["health"].invoke({"account_id": "acme", "as_of": "2026-05-01"})
    assert older["as_of"] == "2026-05-01"
    check = found["advocacy_check"].invoke({"account_id": "acme", "kind": "review"})
    assert check["verdict"] == "ready" and check["suggested"]["kind"] == "review"
    assert found["portfolio"].invoke({"csm": "lee"})["accounts"] == 1


def test_bad_inputs_come_back_as_an_error_for_the_model() -> None:
    found = tools()
    assert "closest: acme" in found["health"].invoke({"account_id": "acm"})["error"]
    assert "no account is owned" in found["portfolio"].invoke({"csm": "nobody"})["error"]


def test_only_the_registry_imports_langchain_and_no_module_reads_the_environment() -> None:
    for path in TOOLS_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        if path.name != "registry.py":
            assert not any(m.startswith("langchain") for m in imported), path.name
        assert "os" not in imported, path.name
        assert "environ" not in path.read_text(encoding="utf-8"), path.name


def test_the_model_gets_the_largest_accounts_of_each_band_and_every_count() -> None:
    many = book(*(healthy(f"g{i:02d}", arr=float(i + 1)) for i in range(MODEL_BAND_LIST + 5)))
    portfolio = {t.name: t for t in build_judgement_tools(lambda: many, CONFIG, AS_OF)}["portfolio"]
    summary = portfolio.invoke({})
    greens = summary["accounts_by_band"]["green"]
    assert len(greens) == MODEL_BAND_LIST and greens[0]["account_id"] == f"g{MODEL_BAND_LIST + 4:02d}"
    assert summary["by_band"]["green"] == MODEL_BAND_LIST + 5
