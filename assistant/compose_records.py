"""Answer parts read straight from the book: promises and requests, the success plan, tickets, history.

Used for every audience: the book a customer's question sees already holds only customer-visible
records, and every citation still passes `may_cite`. What is open, overdue or current comes from the
judgements' as-of view (`tools.as_of`), never from rules of our own: a ticket closed after the as-of
date was open then, a promise done after it was still open (and overdue if its due date had passed),
and a contact who left is not anyone's champion any more, whatever an old hand-off note says.
"""

from __future__ import annotations

import datetime as dt

from accounts.book import AccountRecords
from accounts.models import Activity, ActivityType, Contact, ContactRole, ObjectiveStatus
from assistant.citations import CitationBook, clip, marks
from assistant.words import content_words, sentences
from tools.as_of import AccountView, is_open_item, open_commitments, view_as_of

OPEN_LIMIT = 6


def _until(day: dt.date, as_of: dt.date) -> str:
    delta = (day - as_of).days
    if delta < 0:
        return f"**overdue by {-delta} days** (due {day})"
    return "due today" if delta == 0 else f"due {day} (in {delta} days)"


def as_of_view(records: AccountRecords, as_of: dt.date) -> AccountView:
    """The judgements' view of one account on as_of (the one source of what was open and current)."""
    return view_as_of(records, as_of)


def _items(records: AccountRecords, kind: ActivityType, as_of: dt.date) -> list[Activity]:
    return [a for a in as_of_view(records, as_of).activities if a.type is kind]


def _relevance(activity: Activity, words: set[str]) -> int:
    return len(words & content_words(f"{activity.title} {activity.body}"))


DONE_SHOWN = 2  # closed commitments or requests listed after the open ones


def _outcome(activity: Activity) -> str:
    """How a closed commitment or request ended, as its record says last ("Done 2026-10-09: retention set…")."""
    said = sentences(activity.body)
    return said[-1] if said else ""


def promises_section(records: AccountRecords, cites: CitationBook, as_of: dt.date, words: set[str],
                     *, customer: bool) -> list[str]:
    """Open commitments (ours) and requests (theirs), the most relevant to the question first; then the latest
    closed ones, those the question names first and with how they ended ("is it handled?")."""
    name = records.account.name
    lines: list[str] = []
    we = "we" if customer else "you"
    for kind, label in ((ActivityType.COMMITMENT, "promised"), (ActivityType.REQUEST, "asked for")):
        items = _items(records, kind, as_of)
        open_items = [a for a in items if is_open_item(a, as_of)]
        open_items.sort(key=lambda a: (-_relevance(a, words), a.due or dt.date.max, a.date))
        if kind is ActivityType.COMMITMENT:
            head = (f"**What {we} promised {'you' if customer else name}** — {len(open_items)} open"
                    if open_items else f"No open promises to {'you' if customer else name} on record.")
        else:
            who = "you" if customer else name
            head = (f"**What {who} asked for** — {len(open_items)} open" if open_items
                    else f"No open requests from {who} on record.")
        lines.append(head)
        for item in open_items[:OPEN_LIMIT]:
            due = f", {_until(item.due, as_of)}" if item.due else ""
            lines.append(f"- {item.title or clip(item.body, 80)} ({label} {item.date}{due})"
                         f"{marks([cites.cite('activities', item.id)])}")
        done = [a for a in items if not is_open_item(a, as_of) and a.status is not None]
        done.sort(key=lambda a: (-_relevance(a, words), -a.date.toordinal()))
        for item in sorted(done[:DONE_SHOWN], key=lambda a: a.date):
            outcome = _outcome(item) if _relevance(item, words) else ""
            ended = f" — {outcome}" if outcome else ""
            lines.append(f"- done: {item.title}{ended}{marks([cites.cite('activities', item.id)])}")
        lines.append("")
    return lines


def overdue_promises(records: AccountRecords, as_of: dt.date) -> list[Activity]:
    """Commitments open on as_of (done later counts as open then) whose due date had passed."""
    return [a for a in open_commitments(as_of_view(records, as_of)) if a.due is not None and a.due < as_of]


def plan_section(records: AccountRecords, cites: CitationBook, as_of: dt.date, *, customer: bool) -> list[str]:
    """Objectives with their KPI progress, and the milestones that are next or overdue."""
    plan = as_of_view(records, as_of).plan
    whose = "Your" if customer else f"{records.account.name}'s"
    if plan is None and records.success_plan is not None:
        return [f"{whose} success plan was last updated after {as_of}: nothing from it is known for that date."]
    if plan is None or not plan.objectives:
        return [f"{whose} success plan is not in the workspace yet."]
    n = cites.cite("success_plans", plan.record_id)
    updated = f" (updated {plan.updated})" if plan.updated else ""
    lines = [f"**{whose} success plan**{updated}{marks([n])}"]
    for o in plan.objectives:
        status = o.status
        if status is ObjectiveStatus.ON_TRACK and o.due and o.due < as_of:
            status = ObjectiveStatus.AT_RISK
        kpi = ""
        if o.kpi and o.current is not None:
            kpi = f" — {o.kpi.replace('_', ' ')}: {o.baseline:g} → **{o.current:g}** (target {o.target:g})" \
                if o.baseline is not None and o.target is not None else f" — {o.kpi}: {o.current:g}"
        due = f", due {o.due}" if o.due else ""
        lines.append(f"- {o.title}: **{status.value.replace('_', ' ')}**{kpi}{due}")
        pending = [m for m in o.milestones if m.done is None or m.done > as_of]
        for m in pending[:2]:
            when = _until(m.due, as_of) if m.due else "no date"
            lines.append(f"  - next milestone: {m.title} ({when})")
    return lines


def tickets_section(records: AccountRecords, cites: CitationBook, as_of: dt.date, *, customer: bool) -> list[str]:
    """Tickets open on as_of (closed later counts as open then), most severe first, and the latest closed ones."""
    states = as_of_view(records, as_of).tickets
    open_now = sorted((s for s in states if s.open), key=lambda s: (s.ticket.severity, s.ticket.opened_at))
    who = "You have" if customer else f"{records.account.name} has"
    lines = [f"{who} **{len(open_now)} open ticket{'s' if len(open_now) != 1 else ''}**."]
    for state in open_now[:OPEN_LIMIT]:
        t = state.ticket
        age = (as_of - t.opened_at.date()).days
        esc = ", escalated" if t.escalated else ""
        lines.append(f"- {t.ticket_id} “{t.subject}” — severity {t.severity}, {state.status_then}{esc}, "
                     f"open {age} days{marks([cites.cite('tickets', t.ticket_id)])}")
    closed = [s for s in states if not s.open][-2:]
    for state in closed:
        t = state.ticket
        lines.append(f"- recently {t.status.value}: {t.ticket_id} “{t.subject}”"
                     f"{marks([cites.cite('tickets', t.ticket_id)])}")
    return lines


PEOPLE_ROLES = (ContactRole.CHAMPION, ContactRole.SPONSOR, ContactRole.ADMIN, ContactRole.BILLING)


OTHER_CONTACTS = 5  # other current contacts listed after the key roles, those the question's words name first


def _contact_line(label: str, contact: Contact, cites: CitationBook) -> str:
    return f"- {label}: {contact.name}" + (f", {contact.title}" if contact.title else "") \
        + marks([cites.cite("contacts", contact.contact_id)])


def people_section(records: AccountRecords, cites: CitationBook, as_of: dt.date,
                   question_words: frozenset[str] = frozenset()) -> list[str]:
    """Who is who on as_of, from the contacts table: the current champion, sponsor, admin and billing contact,
    the account's other current contacts (an interim manager holds no key role, and is who "our contact
    there now" is; those whose title shares the question's words first), and who left.

    Vendor staff only (contacts are never cited to a customer).
    """
    view = as_of_view(records, as_of)
    lines = [f"**{records.account.name}: people on {as_of}** (from the contacts table)"]
    for role in PEOPLE_ROLES:
        current = view.active_contacts(role)
        if current:
            lines += [_contact_line(role.value.capitalize(), c, cites) for c in current]
        elif role is ContactRole.CHAMPION:
            lines.append("- Champion: **none active now**")
    others = [c for c in view.active_contacts() if c.role not in PEOPLE_ROLES]
    others.sort(key=lambda c: -len(question_words & content_words(c.title or "")))
    lines += [_contact_line("Also", c, cites) for c in others[:OTHER_CONTACTS]]
    for state in view.contacts:
        if not state.active and state.contact.role in PEOPLE_ROLES:
            c = state.contact
            when = f" on {state.left_on}" if state.left_on else ""
            lines.append(f"- {c.name} ({c.role.value if c.role else 'contact'}) **left{when}**: no longer a "
                         f"contact{marks([cites.cite('contacts', c.contact_id)])}")
    return lines


def departed_names(records: AccountRecords, as_of: dt.date) -> set[str]:
    """Names of contacts who had left by as_of (old notes that call them champion are stale)."""
    return {s.contact.name for s in as_of_view(records, as_of).contacts if not s.active and s.contact.name}


def recent_touches(records: AccountRecords, cites: CitationBook, as_of: dt.date, limit: int = 3) -> list[str]:
    """The latest activities on or before as_of, newest first."""
    recent = [a for a in records.activities if a.date <= as_of][-limit:][::-1]
    return [f"- {a.date} · {a.type.value.replace('_', ' ')}: {a.title or clip(a.body, 80)}"
            f"{marks([cites.cite('activities', a.id)])}" for a in recent]
