"""One account's activity log: a handoff, everyday meetings/emails/calls/notes, and the archetype's story."""

from __future__ import annotations

from datetime import date, timedelta

from bench.workspace_accounts import HAPPY, Archetype
from bench.workspace_activity_phrases import EMAIL_BODY, INBOUND_BODY, RECAP_BODY
from bench.workspace_context import AccountContext, Person
from bench.workspace_phrases import ASK_NOTES, HANDOFF_LINES
from bench.workspace_text import Prose
from bench.workspace_vocab import VENDOR_DOMAIN

A = Archetype
TYPE_WEIGHTS = {"meeting": 20, "email": 30, "call": 15, "note": 15, "community_post": 4, "news": 3, "request": 7,
                "commitment": 6}
MEDIA_MONITOR = f"media-monitor@{VENDOR_DOMAIN}"

Row = dict[str, str]


def tone_on(ctx: AccountContext, day: date) -> str:
    """How things feel on `day`: the archetype decides, recent days weigh most."""
    rng, arch, recent = ctx.rng, ctx.archetype, (ctx.as_of - day).days
    if arch in HAPPY:
        return rng.choice(("good", "good", "neutral"))
    if arch is A.NEGATIVE_SENTIMENT and recent < 120:
        return rng.choice(("bad", "bad", "neutral"))
    if arch is A.CRISIS and ctx.crisis_ticket and day >= ctx.crisis_ticket[2]:
        return "bad"
    if arch is A.USAGE_DECLINE and recent < 80:
        return rng.choice(("bad", "neutral", "neutral"))
    return rng.choices(("good", "neutral", "bad"), weights=(3, 6, 1))[0]


def activity(ctx: AccountContext, day: date, kind: str, title: str, body: str, *, author: str = "",
             visibility: str = "internal", status: str = "", due: date | None = None) -> Row:
    row = {"account_id": ctx.profile.account_id, "date": day.isoformat(), "type": kind,
           "author": author or ctx.profile.csm, "title": title, "body": body, "visibility": visibility}
    if status:
        row["status"] = status
    if due:
        row["due"] = due.isoformat()
    return row


def handoff(ctx: AccountContext) -> Row:
    """The sales-to-CS handoff note: long, one line from most groups of `HANDOFF_LINES`."""
    rng, day = ctx.rng, ctx.profile.contract_start - timedelta(days=ctx.rng.randint(2, 10))
    lines = [rng.choice(group) for group in HANDOFF_LINES if rng.random() < 0.9]
    return activity(ctx, day, "handoff", f"Sales handoff: {ctx.profile.name}", ctx.prose().compose(lines, day),
                    author=ctx.executive)


def item(ctx: AccountContext, day: date, kind: str, contact: Person) -> Row:
    """A request (from the customer) or a commitment (from us); only future-due items stay open."""
    rng = ctx.rng
    due = day + timedelta(days=rng.randint(7, 45))
    status = "open" if due >= ctx.as_of and rng.random() < 0.65 else "done"
    prose = ctx.prose(contact)
    title, body = prose.request(day) if kind == "request" else prose.commitment(day)
    visibility = "customer" if kind == "request" or rng.random() < 0.7 else "internal"
    return activity(ctx, day, kind, title, body, visibility=visibility, status=status,
                    due=due if rng.random() < 0.85 else None)


def everyday(ctx: AccountContext, day: date, kind: str) -> Row:
    """One ordinary activity of `kind` on `day`, written in the day's tone."""
    rng, tone = ctx.rng, tone_on(ctx, day)
    contact = ctx.pick_contact(day)
    if kind in ("request", "commitment"):
        return item(ctx, day, kind, contact)
    prose = ctx.prose(contact)
    slots = prose.slots(day)
    title = prose.title(kind, tone, day, slots)
    if kind == "email" and rng.random() < 0.35:
        body = prose.letter(INBOUND_BODY[tone], day, slots, "Hi {csm_first},", "Thanks, {contact_first}")
        return activity(ctx, day, kind, title, body, author=contact.email, visibility="customer")
    if kind == "email":
        body = prose.letter(EMAIL_BODY[tone], day, slots, "Hi {contact_first},", "Best, {csm_first}")
        return activity(ctx, day, kind, title, body, visibility="customer")
    if kind == "meeting" and rng.random() < 0.4:
        body = prose.letter(RECAP_BODY[tone], day, slots, "Recap of our meeting with {contact}.")
        return activity(ctx, day, kind, title, body, visibility="customer")
    if kind in ("community_post", "news"):
        author = contact.email if kind == "community_post" else MEDIA_MONITOR
        return activity(ctx, day, kind, title, prose.body(kind, tone, day, slots), author=author,
                        visibility="customer")
    visibility = "customer" if kind == "call" and tone != "bad" and rng.random() < 0.4 else "internal"
    return activity(ctx, day, kind, title, prose.body(kind, tone, day, slots), visibility=visibility)


def activity_count(ctx: AccountContext) -> int:
    low, high = {"enterprise": (32, 56), "mid_market": (24, 42), "smb": (16, 32)}[ctx.profile.segment]
    share = (ctx.engagement_end - ctx.history_start).days / 365
    return max(5, round(ctx.rng.randint(low, high) * min(1.0, max(share, 0.3))))


def email_text(prose: Prose, day: date, greeting: str, sentences: list[str], signoff: str) -> str:
    slots = prose.slots(day)
    return "\n\n".join((prose.fill(greeting, day, slots), prose.compose(sentences, day, slots),
                        prose.fill(signoff, day, slots)))


def story(ctx: AccountContext) -> list[Row]:
    """The archetype's own activities: what makes a crisis, a departure or a forgotten promise visible."""
    rng, arch, as_of = ctx.rng, ctx.archetype, ctx.as_of
    p = ctx.prose()
    rows: list[Row] = []
    if arch is A.CRISIS and ctx.crisis_ticket:
        ticket_id, subject, opened = ctx.crisis_ticket
        day = min(as_of, opened + timedelta(days=rng.randint(0, 2)))
        rows.append(activity(ctx, day, "email", f"URGENT: {subject}", email_text(p, day, "Hi {csm_first},", [
            f"Ticket {ticket_id} is blocking {{n}}0 technicians and we need it fixed today.",
            "I need an update every few hours until this is resolved."], "{contact_first}"),
            author=ctx.champion.email, visibility="customer"))
        rows.append(activity(ctx, opened, "note", f"Escalation: {ticket_id}", p.compose(
            [f"Sev-1 {ticket_id} ({subject}) escalated to engineering.", "War room open; {sponsor} has been informed.",
             "Renewal risk if this drags on past {weekday}."], opened)))
        due = as_of + timedelta(days=rng.randint(3, 10))
        title, body = p.commitment(opened, f"share a written root-cause analysis for {ticket_id}")
        rows.append(activity(ctx, opened, "commitment", title, body, visibility="customer", status="open", due=due))
    elif arch is A.CHAMPION_LEFT and ctx.champion.left_at:
        day = min(as_of, ctx.champion.left_at + timedelta(days=rng.randint(2, 10)))
        rows.append(activity(ctx, day, "note", f"{ctx.champion.name} has left", p.compose(
            ["{champion} has left {company}; their e-mail now bounces.", "No new champion identified yet.",
             "{sponsor} has not replied to our last two e-mails.", "Need to rebuild the relationship before renewal."],
            day)))
        rows.append(activity(ctx, day, "news", f"{ctx.champion.name} changes jobs",
                             p.fill("LinkedIn: {champion} announced a new role at another company.", day),
                             author=MEDIA_MONITOR, visibility="customer"))
    elif arch is A.FORGOTTEN_COMMITMENT:
        day = as_of - timedelta(days=rng.randint(45, 120))
        due = day + timedelta(days=rng.randint(10, 30))
        title, body = p.commitment(day)
        rows.append(activity(ctx, day, "commitment", title, body, visibility="customer", status="open", due=due))
        if rng.random() < 0.6:
            later = ctx.random_day(due + timedelta(days=1), as_of)
            rows.append(activity(ctx, later, "email", "Any update?", email_text(p, later, "Hi {csm_first},", [
                f"Any news on this? You said you would {title.split(': ', 1)[1]}."], "{contact_first}"),
                author=ctx.champion.email, visibility="customer"))
    elif arch is A.OVER_ASKED and ctx.declined_ask:
        day, kind, _ = ctx.declined_ask
        ask = p.fill(ASK_NOTES[kind][0], day, cap=False)
        rows.append(activity(ctx, day, "note", "Advocacy ask declined", p.compose(
            [f"{{champion}} declined the {ask}.", "Said: 'we have done a lot of these for you this year'.",
             "We should give before we ask again."], day)))
    elif arch is A.ONBOARDING:
        start, go_live = ctx.profile.contract_start, as_of + timedelta(days=rng.randint(10, 40))
        rows.append(activity(ctx, start + timedelta(days=rng.randint(3, 9)), "meeting", "Kickoff", p.compose(
            ["Kickoff with {champion} and {n} people from the dispatch team.",
             f"Go-live planned for {go_live.isoformat()}.", "Data import from {legacy} is the first milestone."],
            start)))
        rows.append(activity(ctx, as_of - timedelta(days=rng.randint(1, 12)), "commitment",
                             "Commitment: go-live support", p.fill("We committed to onsite support for go-live in "
                                                                   "{region}.", as_of),
                             visibility="customer", status="open", due=go_live))
    elif arch is A.EXPANSION:
        day = as_of - timedelta(days=rng.randint(3, 30))
        rows.append(activity(ctx, day, "request", "Request: more seats", p.compose(
            ["{contact_first} asked for a quote for {n}0 more seats.", "They are at {users} users on {seats} seats.",
             "They also want to add {feature} for {region}."], day), visibility="customer", status="open",
            due=day + timedelta(days=rng.randint(14, 30))))
    elif arch is A.USAGE_DECLINE:
        day = as_of - timedelta(days=rng.randint(3, 20))
        rows.append(activity(ctx, day, "note", "Usage is dropping", p.fill(
            "Weekly active users are down to {users} of {seats} seats; dispatchers are back on spreadsheets.", day)))
    return rows


def activity_rows(ctx: AccountContext) -> list[Row]:
    """The whole log, sorted by date, with ids `<account_id>-a-<n>` in date order."""
    rng = ctx.rng
    kinds = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()), k=activity_count(ctx))
    days = sorted(ctx.random_day(ctx.history_start, ctx.engagement_end) for _ in kinds)
    rows = [handoff(ctx), *(everyday(ctx, day, kind) for day, kind in zip(days, kinds, strict=True)), *story(ctx)]
    rows.sort(key=lambda r: r["date"])
    aid = ctx.profile.account_id
    return [{"id": f"{aid}-a-{n}", **row} for n, row in enumerate(rows, start=1)]
