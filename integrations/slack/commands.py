"""`/advocate health|advocacy|portfolio|help` and the App Home tab: judgements rendered as Block Kit.

Slash commands are for vendor staff; a caller who only gets public docs is told so. Accounts are
named as people name them ("/advocate health initech", "acme corp"), through the same resolver the
assistant uses; two equally good matches get a question back, not a guess.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from accounts.errors import AdvocateError
from assistant.resolve import mentioned_accounts
from integrations.slack import blocks as bk
from integrations.slack.bot import HELP, Reply, SlackBot
from integrations.slack.identity import SlackCaller

if TYPE_CHECKING:
    from tools.portfolio import PortfolioSummary

_USER_REF = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
VENDOR_ONLY = "Commands are for the vendor's own staff. Ask me a question instead and I'll search the public docs."


def _message(text: str) -> Reply:
    return Reply(text, [bk.section(bk.escape(text))])


def _evidence(items: list[Any]) -> str:
    ids = ", ".join(f"`{bk.escape(e.id)}`" for e in items[:4])
    return f" ({ids})" if ids else ""


def _code(text: str) -> list[bk.Block]:
    """Pre-formatted text (the CLI's tables) in code blocks, split to Slack's section limit."""
    chunks = bk.split_sections(bk.escape(text), bk.MAX_SECTION_CHARS - 6, "\n")
    return [bk.section(f"```{chunk}```") for chunk in chunks]


class CommandRunner:
    """Parses the command text and runs one judgement for one caller."""

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot

    def run(self, text: str, caller: SlackCaller, *, email_of: Any = None) -> Reply:
        words = (text or "").split(maxsplit=1)
        name, rest = (words[0].lower(), words[1] if len(words) > 1 else "") if words else ("help", "")
        if name in ("help", "?"):
            return Reply("Advocate help", [bk.section(HELP)])
        if caller.public_only:
            return _message(VENDOR_ONLY)
        try:
            if name == "health":
                return self.health(self.account(rest))
            if name in ("advocacy", "advocacy-check"):
                return self.advocacy(self.account(rest))
            if name == "portfolio":
                return self.portfolio(caller, rest, email_of)
        except AdvocateError as err:
            return _message(str(err))
        return _message(f"I don't know the command {name!r}. Try `/advocate help`.")

    def account(self, text: str) -> str:
        """The account a command names: its id, or its name as people write it."""
        from accounts.book import closest_ids
        from accounts.errors import BadRequest, UnknownAccount

        text = text.strip()
        if not text:
            raise BadRequest("Which account? For example `/advocate health globex`.")
        directory = self.bot.ports().store.account_directory()
        if text in directory:
            return text
        found = mentioned_accounts(text, directory)
        if len(found) > 1:
            names = ", ".join(f"{directory[a]} (`{a}`)" for a in found[:4])
            raise BadRequest(f"Several accounts fit {text!r}: {names}. Which one?")
        if not found:
            raise UnknownAccount(text, closest_ids(text, list(directory)))
        return found[0]

    def health(self, account_id: str) -> Reply:
        from tools.health import assess_health

        ports = self.bot.ports()
        book = ports.book([account_id])
        report = assess_health(book, account_id, as_of=self.bot.today(), config=ports.judgement_config)
        score = "no score (too little data)" if report.score is None else f"{report.score}/100"
        delta = report.trend.delta_30d if report.trend else None
        trend = f", {delta:+d} in 30 days" if delta is not None else ""
        blocks = [bk.account_header(book.accounts[account_id].name, report.band.value),
                  bk.section(f"*Health* {score}{trend} (as of {report.as_of})")]
        if report.flags:
            blocks.append(bk.section("*Flags*\n" + "\n".join(
                f"• {bk.escape(f.text)}{_evidence(f.evidence)}" for f in report.flags)))
        if report.next_actions:
            blocks.append(bk.section("*Next actions*\n" + "\n".join(
                f"{n}. {bk.escape(a.text)} — _{bk.escape(a.why)}_{_evidence(a.evidence)}"
                for n, a in enumerate(report.next_actions, start=1))))
        return Reply(f"{account_id}: {report.band.value} {score}", bk.fit(blocks))

    def advocacy(self, account_id: str) -> Reply:
        from tools.advocacy import check_advocacy

        ports = self.bot.ports()
        book = ports.book([account_id])
        check = check_advocacy(book, account_id, as_of=self.bot.today(), config=ports.judgement_config)
        verdict = check.verdict.value.replace("_", " ")
        b = check.balance
        blocks = [bk.header(f"{book.accounts[account_id].name}: advocacy {verdict}"),
                  bk.section(f"*Loyalty bank* given {b.given}, asked {b.asked}, net {b.net}")]
        if check.reasons:
            blocks.append(bk.section("*Why not now*\n" + "\n".join(
                f"• {bk.escape(r.text)}{_evidence(r.evidence)}" for r in check.reasons)))
        if check.suggested:
            contact = f" from `{check.suggested.contact_id}`" if check.suggested.contact_id else ""
            blocks.append(bk.section(f"*Suggested ask* {check.suggested.kind.value.replace('_', ' ')}{contact}"))
        if check.before_asking:
            blocks.append(bk.section("*Before asking*\n" + "\n".join(
                f"• {bk.escape(a.text)} — _{bk.escape(a.why)}_" for a in check.before_asking)))
        return Reply(f"{account_id}: advocacy {verdict}", bk.fit(blocks))

    def portfolio(self, caller: SlackCaller, text: str, email_of: Any) -> Reply:
        """`[@csm]`: that CSM's book; none: the caller's own book (CSM) or the whole team (manager)."""
        ref = _USER_REF.search(text or "")
        handle = (email_of(ref.group(1)) if ref and email_of else None) or (text.strip().lstrip("@") or None)
        if handle is None and caller.principal is not None and caller.principal.audience.value == "csm":
            handle = caller.principal.user
        summary = self.summary(handle)
        from integrations.render_judgements import render_portfolio

        title = f"Portfolio of {handle}" if handle else "Team portfolio"
        return Reply(title, bk.fit([bk.header(title), *_code(render_portfolio(summary))]))

    def summary(self, csm: str | None) -> PortfolioSummary:
        from tools.portfolio import summarize_portfolio

        ports = self.bot.ports()
        book = ports.csm_book(csm) if csm else ports.book()
        return summarize_portfolio(book, as_of=self.bot.today(), config=ports.judgement_config, csm=csm)

    def home(self, caller: SlackCaller) -> dict[str, Any]:
        """The App Home tab: the caller's own book (a manager: the team), or a help text for others."""
        if caller.principal is None:
            return {"type": "home", "blocks": [bk.section(bk.escape(VENDOR_ONLY))]}
        csm = caller.principal.user if caller.principal.audience.value == "csm" else None
        reply = self.portfolio(caller, csm or "", None)
        return {"type": "home", "blocks": bk.fit([*reply.blocks, bk.section(HELP)])}
