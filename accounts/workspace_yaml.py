"""YAML for success plans and doc front matter, without the expansion bomb.

Safe loading stops code execution but not a "billion laughs": a 1.6 KB plan whose aliases nest
nine levels deep expands to millions of objectives once validated and stored (the store grew to
555 MB). A success plan never needs anchors and aliases, so an alias is refused where it is
written, as is nesting deeper than the format could use, before anything is constructed.
"""

from __future__ import annotations

from typing import Any

import yaml

from accounts.errors import WorkspaceError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster, same safety
MAX_YAML_DEPTH = 16  # plans nest objectives → milestones: four levels


def event_line(event: yaml.Event, first_line: int) -> int | None:
    return first_line + event.start_mark.line if event.start_mark else None


def load_yaml(text: str, rel: str, *, first_line: int = 1, what: str = "YAML") -> Any:
    """The parsed document, or WorkspaceError naming the file and line of a syntax error, an alias or
    nesting past MAX_YAML_DEPTH. `first_line` is where `text` starts in the file (front matter: 2)."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, yaml.AliasEvent):
                line = event_line(event, first_line)
                raise WorkspaceError(rel, line, f"{what} alias (*{event.anchor}) refused: anchors and aliases are"
                                     " not accepted (they can expand without bound)")
            if isinstance(event, yaml.ScalarEvent) and "\x00" in event.value:  # a "\0" escape
                raise WorkspaceError(rel, event_line(event, first_line), f"NUL character in a {what} value: refused")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event_line(event, first_line)
                    raise WorkspaceError(rel, line, f"{what} nested too deeply (limit {MAX_YAML_DEPTH} levels)")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "does not parse"
        raise WorkspaceError(rel, first_line + mark.line if mark else None, f"{what} error: {problem}") from None
    except RecursionError:
        raise WorkspaceError(rel, None, f"{what} nested too deeply") from None
