"""The composition root's Services must satisfy the assistant's ports (checked by mypy and at run time)."""

from __future__ import annotations

from assistant.ports import AssistantPorts
from integrations.wiring import Services

from .conftest import FakePorts


def as_ports(services: Services) -> AssistantPorts:
    return services  # mypy fails here if Services stops satisfying AssistantPorts


def test_services_and_fakes_have_every_port(tmp_path: object) -> None:
    for name in ("store", "retriever", "judgement_config", "book"):
        assert hasattr(Services, name), name
        assert hasattr(FakePorts, name) or name in {"store", "retriever", "judgement_config"}


def test_assistant_never_imports_integrations() -> None:
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3] / "assistant"
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from integrations" not in text and "import integrations" not in text, path.name
