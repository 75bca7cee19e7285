"""Question sets: YAML files of labelled questions, expanded and checked before anything runs.

A set names its workspace and as-of date and lists `groups` (one `kind` of question with its expected
intents, facts and citations, asked in several phrasings) and/or plain `questions`. Groups exist so
paraphrases share one truth; after loading, every question carries all its fields. A mistake in a set
is bad input: one line naming the file and the question, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from accounts.errors import BadRequest

Fact = str | list[str]  # a string that must appear, or a list of which any one must appear
GROUP_KEYS = ("kind", "audience", "account", "about", "user", "as_of", "intents", "facts", "cite", "relevant",
              "wrong", "never", "split", "expect_none", "unanswerable")


class Question(BaseModel):
    """One labelled question; `conversation` holds the turns asked before it in the same conversation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    question: str
    kind: str
    audience: Literal["csm", "manager", "customer"]
    account: str | None = None  # the customer who asks, or a vendor's focus account
    about: tuple[str, ...] = ()  # accounts the question is about (relevance of citations)
    user: str | None = None
    as_of: dt.date | None = None
    conversation: tuple[str, ...] = ()
    follow_up_of: str | None = None
    intents: tuple[str, ...] = ()  # acceptable primary intents (empty: not scored)
    facts: tuple[Fact, ...] = ()
    cite: tuple[Fact, ...] = ()  # ids (or fnmatch patterns) that must be cited; a list: any one of them
    relevant: tuple[str, ...] = ()  # further ids a citation may rightly point to
    wrong: tuple[str, ...] = ()  # strings that make the answer wrong (e.g. another CSM's account)
    never: tuple[str, ...] = ()  # strings that must never be shown (a leak: internal canaries)
    split: Literal["tune", "heldout"] = "tune"
    expect_none: bool = False  # the right answer is "none on record": not a false "not found"
    unanswerable: bool = False  # nothing in the workspace answers it: the right reply is a "not found"

    @field_validator("facts", "cite", "relevant", "wrong", "never", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        """YAML reads 2026-09-04 as a date and 600 as a number; labels are text."""
        def text(item: Any) -> Any:
            return [text(i) for i in item] if isinstance(item, list) else str(item)
        return [text(item) for item in value] if isinstance(value, list) else value

    @field_validator("question")
    @classmethod
    def _non_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty")
        return value

    def accounts(self) -> tuple[str, ...]:
        """The accounts the question is about: `about`, else the asking/focus account."""
        return self.about or ((self.account,) if self.account else ())


class QuestionSet(BaseModel):
    """A workspace, an as-of date and the questions asked of it."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    workspace: Path
    as_of: dt.date
    vendor: str = ""
    never: tuple[str, ...] = ()  # no answer may contain these
    customer_never: tuple[str, ...] = ()  # no customer's answer may contain these (internal canaries)
    questions: tuple[Question, ...] = Field(default_factory=tuple)

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def turns_before(self, question: Question) -> list[str]:
        """Every earlier turn of the question's conversation: its follow_up_of chain, then `conversation`."""
        turns: list[str] = []
        index, parent, seen = self.by_id(), question.follow_up_of, {question.id}
        while parent:
            if parent in seen:
                raise BadRequest(f"{self.path}: question {question.id}: follow_up_of loops through {parent}")
            seen.add(parent)
            earlier = index[parent]
            turns[:0] = [*earlier.conversation, earlier.question]
            parent = earlier.follow_up_of
        return turns + list(question.conversation)


def _expand_group(group: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """One kind's shared labels applied to each of its phrasings (a string, or a dict overriding labels)."""
    if "kind" not in group or "questions" not in group:
        raise BadRequest(f"{where}: a group needs `kind` and `questions`")
    shared = {k: v for k, v in group.items() if k != "questions"}
    unknown = set(shared) - set(GROUP_KEYS)
    if unknown:
        raise BadRequest(f"{where}: unknown group keys {sorted(unknown)}")
    out = []
    for n, item in enumerate(group["questions"], start=1):
        entry = dict(shared)
        entry.update({"question": item} if isinstance(item, str) else item)
        entry.setdefault("id", f"{group['kind']}-{n}")
        out.append(entry)
    return out


def load_question_set(path: Path) -> QuestionSet:
    """Read, expand and validate one set; BadRequest names the file and the question at fault."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise BadRequest(f"{path}: cannot read the question set: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise BadRequest(f"{path}: {where}not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(raw, dict) or "workspace" not in raw or "as_of" not in raw:
        raise BadRequest(f"{path}: a question set needs `workspace` and `as_of` at the top")
    entries: list[dict[str, Any]] = []
    for g, group in enumerate(raw.get("groups") or [], start=1):
        entries += _expand_group(group, f"{path}: group {g} ({group.get('kind', '?')})")
    entries += list(raw.get("questions") or [])
    questions = []
    for entry in entries:
        try:
            questions.append(Question.model_validate(entry))
        except ValidationError as err:
            problem = err.errors()[0]
            place = ".".join(str(p) for p in problem["loc"])
            raise BadRequest(f"{path}: question {entry.get('id', '?')}: {place}: {problem['msg']}") from None
    ids = [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BadRequest(f"{path}: duplicate question ids {duplicates[:5]}")
    missing = [q.id for q in questions if q.follow_up_of and q.follow_up_of not in ids]
    if missing:
        raise BadRequest(f"{path}: question {missing[0]}: follow_up_of names an unknown question")
    try:
        as_of = dt.date.fromisoformat(str(raw["as_of"]))
    except ValueError:
        raise BadRequest(f"{path}: as_of {raw['as_of']!r} is not a date (YYYY-MM-DD)") from None
    workspace = (path.parent / str(raw["workspace"])).resolve()
    if not (workspace / "accounts.csv").is_file():
        raise BadRequest(f"{path}: workspace {workspace} has no accounts.csv")
    return QuestionSet(
        name=str(raw.get("name") or path.stem), path=path, workspace=workspace, as_of=as_of,
        vendor=str(raw.get("vendor") or ""), never=tuple(raw.get("never") or ()),
        customer_never=tuple(raw.get("customer_never") or ()), questions=tuple(questions),
    )
