"""What the Slack bot does, apart from Slack's plumbing: answer a message, run a command, show evidence.

Listeners (listeners.py) only ack and call these methods; every method returns Block Kit and a
fallback text, so it is tested without Slack. The principal comes from identity.py and bounds
everything read: a Slack Connect channel or an unknown user gets the public docs, nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accounts.access import Audience, Scope
from accounts.errors import AdvocateError
from accounts.models import SourceKind
from assistant.feedback import FeedbackStore
from integrations.slack import blocks as bk
from integrations.slack.identity import SlackCaller, SlackDirectory
from integrations.slack.state import SlackState, thread_key

if TYPE_CHECKING:
    from integrations.snapshot import Snapshot
    from integrations.wiring import Services

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
PUBLIC_SCOPE = Scope(Audience.CUSTOMER, frozenset(), frozenset())  # public docs and nothing else
HELP = (
    "*Ask me about an account* — mention me in a channel or write to me directly:\n"
    "• _How is Globex doing and what should I do next?_\n"
    "• _Did we promise Contoso anything?_   • _Which of my renewals are at risk?_\n"
    "*Commands*\n"
    "• `/advocate health ACCOUNT` — health, flags and next actions\n"
    "• `/advocate advocacy ACCOUNT` — is it a good moment for an advocacy ask?\n"
    "• `/advocate portfolio [@csm]` — your book (or a CSM's)\n"
    "• `/advocate help` — this message"
)


@dataclass(frozen=True)
class Reply:
    text: str
    blocks: list[bk.Block]


def question_of(text: str) -> str:
    """The message without the bot's mention (`<@U123> how is acme?` → `how is acme?`)."""
    return " ".join(_MENTION.sub(" ", text or "").split())


class SlackBot:
    """The bot's behaviour over the same services every front end uses."""

    def __init__(self, services: Services, directory: SlackDirectory, *,
                 today: Callable[[], dt.date] | None = None) -> None:
        self.services = services
        self.directory = directory
        self.state = SlackState(services.store.engine)
        self.feedback = FeedbackStore(services.store.engine)
        self.today = today or services.settings.today

    def ports(self) -> Snapshot:
        """One consistent view per request: the snapshot of the committed ingest generation."""
        return self.services.snapshot()

    # --- messages -------------------------------------------------------------------------------
    def reply(self, text: str, caller: SlackCaller, *, team: str | None, channel: str, thread_ts: str,
              user: str) -> Reply:
        question = question_of(text)
        if not question:
            return Reply("How can I help?", [bk.section(HELP)])
        if caller.public_only:
            return self.public_reply(question, caller.why_public)
        assert caller.principal is not None
        from assistant.answer import answer

        key = thread_key(team, channel, thread_ts, user)
        ports = self.ports()
        try:
            result = answer(question, caller.principal, ports=ports, as_of=self.today(),
                            conversation_id=self.state.conversation_of(key), llm=self.services.llm_engine(ports))
        except AdvocateError as err:
            return Reply(str(err), [bk.section(f":warning: {bk.escape(str(err))}")])
        if result.conversation_id:
            self.state.remember_conversation(key, result.conversation_id)
        data = result.model_dump(mode="json")
        evidence_key = self.state.keep_evidence(data["citations"]) if data["citations"] else None
        account, actions = self._account_header(ports, result.tools)
        return Reply(bk.fallback_text(result.answer),
                     bk.answer_blocks(data, account=account, next_actions=actions, evidence_key=evidence_key))

    def _account_header(self, ports: Snapshot,
                        tools: list[Any]) -> tuple[tuple[str, str | None] | None, list[str]]:
        """(name, band) of the account the answer is about, and next actions when the answer had none."""
        account_ids = [t.args["account_id"] for t in tools if "account_id" in t.args]
        if not account_ids:
            return None, []
        from tools.health import assess_health

        account_id = account_ids[0]
        book = ports.book([account_id])
        report = assess_health(book, account_id, as_of=self.today(), config=ports.judgement_config)
        name = book.accounts[account_id].name
        has_health = any(t.name == "health" for t in tools)
        actions = [] if has_health else [a.text for a in report.next_actions[:2]]
        return (name, report.band.value), actions

    def public_reply(self, question: str, why: str) -> Reply:
        """Public docs only: the best passages, cited, and a line saying why nothing else is shown."""
        passages = self.ports().retriever.search(question, PUBLIC_SCOPE, 3, sources=frozenset({SourceKind.DOCS}))
        notice = f"I answer from the public docs only here ({why})."
        data: dict[str, Any]
        if not passages:
            data = {"answer": "I couldn't find this in the public docs.", "citations": []}
        else:
            lines = [f"**{p.chunk.title}**: {p.snippet()} [{n}]" for n, p in enumerate(passages, start=1)]
            data = {"answer": "\n\n".join(lines),
                    "citations": [{"id": p.chunk.record_id, "source": "docs", "title": p.chunk.title,
                                   "snippet": p.snippet()} for p in passages]}
        return Reply(bk.fallback_text(data["answer"]), bk.answer_blocks(data, notice=notice))

    # --- buttons ----------------------------------------------------------------------------------
    def rate(self, conversation_id: str, rating: str, caller: SlackCaller) -> None:
        who = caller.principal.key if caller.principal else f"slack-public|{caller.email or ''}"  # the rater
        self.feedback.record(conversation_id, who, rating, channel="slack")

    def evidence(self, key: str) -> Reply:
        citations = self.state.evidence(key)
        if citations is None:
            return Reply("That evidence is no longer available.", [bk.section("That evidence is no longer available.")])
        return Reply("Evidence", bk.evidence_blocks(citations))
