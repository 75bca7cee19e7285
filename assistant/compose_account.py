"""Answer parts for vendor staff about one account: where it stands, what is going on, what to do next.

They read the judgements' JSON (health, advocacy check) and turn each flag, action and reason into
a line with the numbered citations of its evidence. Customers never reach this module.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from accounts.book import AccountRecords
from assistant.citations import CitationBook, marks
from assistant.compose_records import overdue_promises, plan_section, promises_section, recent_touches

FLAG_LIMIT = 5
ACTION_LIMIT = 4
POSITIVE_FLAGS = frozenset({"expansion_signal"})


def headline(records: AccountRecords, health: dict[str, Any] | None, as_of: dt.date) -> str:
    """One line: score and band, trend, renewal and ARR."""
    a = records.account
    parts = [f"**{a.name}**"]
    if health is not None:
        if health.get("score") is None:
            parts.append("health: not enough data to score")
        else:
            parts.append(f"health **{health['score']}/100 ({health['band']})**")
            delta = (health.get("trend") or {}).get("delta_30d")
            if delta:
                unit = "point" if abs(delta) == 1 else "points"
                parts.append(f"{'down' if delta < 0 else 'up'} {abs(delta)} {unit} in 30 days")
    if a.renewal_date:
        days = (a.renewal_date - as_of).days
        parts.append(f"renews {a.renewal_date} ({days} days)" if days >= 0 else f"renewal date {a.renewal_date} passed")
    if a.arr is not None:
        parts.append(f"ARR ${a.arr:,.0f}")
    return " — ".join(parts[:2]) + ("; " + "; ".join(parts[2:]) if len(parts) > 2 else "") + "."


def flag_lines(health: dict[str, Any], cites: CitationBook, *, positive: bool | None = None) -> list[str]:
    flags = [f for f in health.get("flags", [])
             if positive is None or (f["code"] in POSITIVE_FLAGS) == positive]
    return [f"- {f['text']}{cites.cite_all(f.get('evidence', []))}" for f in flags[:FLAG_LIMIT]]


def action_lines(health: dict[str, Any], cites: CitationBook, limit: int = ACTION_LIMIT,
                 *, skip_why: frozenset[str] = frozenset()) -> list[str]:
    """Numbered next actions; a `why` already shown as a flag line is not repeated."""
    lines = []
    for n, action in enumerate(health.get("next_actions", [])[:limit], start=1):
        why = f" — {action['why']}" if action.get("why") and action["why"] not in skip_why else ""
        lines.append(f"{n}. **{action['text']}**{why}{cites.cite_all(action.get('evidence', []))}")
    return lines


def status_answer(records: AccountRecords, health: dict[str, Any], cites: CitationBook, as_of: dt.date,
                  *, actions_first: bool) -> list[str]:
    """Where things stand, what is going on (flags with evidence), what to do next, latest touches.

    Asked "what next?", the actions lead with their reasons and only the flags they do not cover
    follow; asked "how is it going?", the flags lead and the actions do not repeat them.
    """
    lines = [headline(records, health, as_of), ""]
    flags = health.get("flags", [])
    if actions_first:
        actions = action_lines(health, cites)
        covered = {(e["source"], e["id"]) for a in health.get("next_actions", [])[:ACTION_LIMIT]
                   for e in a.get("evidence", [])}
        rest = {"flags": [f for f in flags if not (f.get("evidence")
                                                   and {(e["source"], e["id"]) for e in f["evidence"]} <= covered)]}
        lines += ["**What to do next**", *(actions or ["- Nothing urgent: keep the usual rhythm."]), ""]
        more = flag_lines(rest, cites)
        if more:
            lines += ["**Also going on**", *more, ""]
    else:
        going_on = flag_lines(health, cites)
        shown = frozenset(f["text"] for f in flags[:FLAG_LIMIT])
        actions = action_lines(health, cites, skip_why=shown)
        lines += ["**What's going on**", *(going_on or ["- No warning signs on record."]), ""]
        lines += ["**What to do next**", *(actions or ["- Nothing urgent: keep the usual rhythm."]), ""]
    touches = recent_touches(records, cites, as_of)
    if touches:
        lines += ["**Latest touch points**", *touches]
    return lines


def talking_points(records: AccountRecords, health: dict[str, Any] | None, cites: CitationBook, as_of: dt.date,
                   words: set[str]) -> list[str]:
    """QBR prep: open with wins, be ready for the hard topics, close with the asks."""
    lines = [f"Talking points for **{records.account.name}**'s business review (as of {as_of}).", ""]
    if health is not None:
        lines += [headline(records, health, as_of), ""]
    lines += ["**1. Open with progress**"]
    lines += plan_section(records, cites, as_of, customer=False)[1:] or ["- No success-plan objectives on record."]
    if health is not None:
        lines += flag_lines(health, cites, positive=True)
    lines += ["", "**2. Be ready to discuss**"]
    hard = flag_lines(health, cites, positive=False) if health is not None else []
    overdue = overdue_promises(records, as_of)
    flagged = {e["id"] for f in (health or {}).get("flags", []) for e in f.get("evidence", [])}
    for item in overdue:
        if item.id not in flagged:
            hard.append(f"- Overdue promise: {item.title} (due {item.due}){marks([cites.cite('activities', item.id)])}")
    lines += hard or ["- Nothing difficult on record."]
    lines += ["", "**3. Commitments and asks to close on**"]
    open_items = [ln for ln in promises_section(records, cites, as_of, words, customer=False) if ln.startswith("- ")]
    lines += open_items[:4] or ["- No open promises or requests on record."]
    if health is not None:
        lines += ["", "**4. Proposed next steps**", *action_lines(health, cites, limit=3)]
    return lines


VERDICT_TEXT = {"ready": "Ready to ask", "not_yet": "Not yet", "not_now": "Not now"}
_COLLEAGUE_ASKED = re.compile(r"\b(marketing|sales|account exec\w*|AE|PMM|comms|PR team|product marketing)\b",
                              re.IGNORECASE)


BANK_ENTRIES = 5  # the latest gives and asks shown under the loyalty bank's figures


def bank_line(balance: dict[str, Any]) -> str:
    """The loyalty bank in the judgement's own figures: net and what it affords always agree."""
    net = balance.get("net", 0)
    line = f"**Loyalty bank:** given {balance.get('given', 0):g}, asked {balance.get('asked', 0):g}, net {net:+g}"
    affords = balance.get("affords")
    if affords is None:
        return line + "."
    if affords <= 0:
        if affords == 0:
            return line + "; with the goodwill reserve it affords no ask yet."
        return line + f"; even with the goodwill reserve it is overdrawn by {-affords:g} point{'s' * (affords != -1)}."
    return line + f"; with the goodwill reserve it affords an ask of up to {affords:g} point{'s' * (affords != 1)}."


def bank_entries(records: AccountRecords, balance: dict[str, Any], cites: CitationBook,
                 limit: int = BANK_ENTRIES) -> list[str]:
    """The latest gives and asks the bank counted (the judgement's own list), each cited: its figures' evidence."""
    events = {e.id: e for e in records.advocacy}
    lines = []
    for item in (balance.get("evidence") or [])[:limit]:
        event = events.get(str(item.get("id")))
        if event is None:
            continue
        what = event.kind.replace("_", " ")
        if event.direction.value == "give":
            done = f"we gave: {what}"
        else:
            done = f"we asked: {what}" + (f" ({event.outcome.value})" if event.outcome else "")
        note = f" — {event.note}" if event.note else ""
        lines.append(f"- {event.date} · {done}{note}{cites.cite_all([item])}")
    return lines


def reply_to_colleague(records: AccountRecords, check: dict[str, Any], kind: str | None) -> list[str]:
    """A short reply the CSM can send back to marketing or sales: not now, why, and when to look again."""
    what = f"a {kind.replace('_', ' ')}" if kind else "an advocacy ask"
    reasons = check.get("reasons") or []
    name = records.account.name
    refusal = next((r for r in reasons if r.get("code") == "customer_declined_kind"), None)
    if refusal is not None and len({r.get("code") for r in reasons} - {"customer_declined_kind", "over_asked"}) == 0:
        quoted = str(refusal["text"]).split(": ", 1)[-1]
        return ["**Reply you can send back**",
                f"> Thanks for thinking of {name}. They have ruled out {what} ({quoted}), so we won't ask for one. "
                "Happy to look at an ask that fits their rules."]
    why = "; ".join(str(r["text"]).rstrip(".") for r in reasons[:2])
    revisit = check.get("revisit_on")
    when = f" Let's look at it again on {revisit}." if revisit else ""
    return ["**Reply you can send back**", f"> Thanks for thinking of {name}. It's not the right time for {what}: "
            f"{why[:1].lower() + why[1:]}.{when}"]


def advocacy_answer(records: AccountRecords, check: dict[str, Any], cites: CitationBook,
                    question: str = "", kind: str | None = None) -> list[str]:
    """The verdict, its reasons with evidence, the loyalty-bank balance, and what to do before asking.

    When marketing or sales asked the CSM and the answer is not yet, a reply to send back follows.
    """
    verdict = str(check.get("verdict", ""))
    lines = [f"**{VERDICT_TEXT.get(verdict, verdict)}** — advocacy ask for **{records.account.name}**.", ""]
    reasons = check.get("reasons") or []
    if reasons:
        lines.append("**Why**")
        lines += [f"- {r['text']}{cites.cite_all(r.get('evidence', []))}" for r in reasons]
        lines.append("")
    balance = check.get("balance") or {}
    if balance:
        lines += [bank_line(balance), *bank_entries(records, balance, cites)]
    suggested = check.get("suggested") or {}
    if verdict == "ready" and suggested and suggested.get("kind"):
        who = ""
        contact_id = suggested.get("contact_id")
        contact = records.contact(contact_id) if contact_id else None
        if contact is not None:
            who = f" with {contact.name}" + (f", {contact.title}" if contact.title else "")
            n = cites.cite("contacts", contact.contact_id)
            who += f" [{n}]" if n else ""
        lines += ["", f"**Suggested ask:** {str(suggested['kind']).replace('_', ' ')}{who}."]
    before = check.get("before_asking") or []
    if before:
        lines += ["", "**Before asking**"]
        lines += [f"{n}. {b['text']}" + (f" — {b['why']}" if b.get("why") else "") for n, b in enumerate(before, 1)]
    if verdict != "ready" and _COLLEAGUE_ASKED.search(question):
        lines += ["", *reply_to_colleague(records, check, kind)]
    return lines
