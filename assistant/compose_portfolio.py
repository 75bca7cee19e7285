"""Answer parts for portfolio questions (managers, and CSMs asking across accounts).

The portfolio summary's lists are rendered generically from their contract keys (account_id, name,
arr, band, renewal_date, flags, plus whatever a list adds), so a richer summary needs no change here.
Each listed account is cited by its account record. The planner's extras ride in the summary dict
(gather adds them): `open_tickets` (a ticket question across accounts), `rank_by` (what "which CSM
has the most …" ranks by) and `notes`; the per-CSM roll-ups come from the summary's `by_csm`.
"""

from __future__ import annotations

from typing import Any

from assistant.citations import CitationBook, marks

SECTION_TITLES = {
    "at_risk": "At risk (largest ARR first)",
    "renewals_next_90d": "Renewals in the next 90 days",
    "advocacy_ready": "Ready for an advocacy ask",
    "silent": "Gone silent",
    "overdue_commitments": "Overdue commitments",
    "commitments_due_soon": "Commitments due soon",
    "no_value_yet": "No first value yet",
    "recently_declined": "Declined an advocacy ask recently",
    "over_asked": "Asked too much lately (no advocacy ask now)",
    "expansion": "Expansion signals: seats nearly all used, or more asked for",
    "largest": "Largest accounts by ARR",
    "health_moves": "Health moves in the last 30 days (biggest drop first)",
    "open_tickets": "Tickets",
    "in_band": "Accounts by health band",
    "book": "Every account in the book (largest ARR first)",
}
RANK_WORDS = {"red": "red accounts", "at_risk": "accounts at risk", "at_risk_arr": "ARR at risk",
              "renewals": "renewals in the next 90 days", "arr": "ARR", "accounts": "accounts"}
MONEY = frozenset({"at_risk_arr", "arr", "renewals_arr"})
LIST_LIMIT = 8


def _details(item: dict[str, Any], contact_names: dict[str, str]) -> list[str]:
    """The list-specific facts of a portfolio item, in words."""
    bits = []
    if item.get("days") is not None:
        bits.append(f"in {item['days']} days")
    if item.get("score") is not None:
        bits.append(f"score {item['score']}")
    if item.get("delta_30d") is not None:
        bits.append(f"{'down' if item['delta_30d'] < 0 else 'up'} {abs(item['delta_30d'])} points in 30 days")
    if item.get("kind"):
        who = contact_names.get(str(item.get("contact_id") or ""), "")
        bits.append(f"suggested ask: {str(item['kind']).replace('_', ' ')}" + (f" with {who}" if who else ""))
    if item.get("net") is not None:
        bits.append(f"loyalty net {float(item['net']):+g}")
    if item.get("detail"):
        detail = str(item["detail"])
        bits.append(detail[:1].lower() + detail[1:])
    if item.get("days_silent") is not None:
        gap = item.get("usual_gap_days")
        bits.append(f"silent {item['days_silent']} days" + (f" (usual gap {float(gap):g})" if gap else ""))
    if item.get("title"):
        bits.append(f"“{item['title']}”")
    if item.get("ticket_id"):
        escalated = ", escalated" if item.get("escalated") else ""
        bits.append(f"{item['ticket_id']} “{item.get('subject', '')}” — severity {item.get('severity')}, "
                    f"{item.get('ticket_status', 'open')}{escalated}, opened {item.get('opened')}")
    if item.get("days_overdue") is not None:
        bits.append(f"{item['days_overdue']} days overdue")
    if item.get("days_to_due") is not None:
        bits.append(f"due {item['due']} (in {item['days_to_due']} days)")
    if item.get("ask_kind"):
        bits.append(f"declined a {str(item['ask_kind']).replace('_', ' ')} on {item.get('declined_on')}; "
                    f"no ask before {item.get('ask_again_from')}")
    if "lifecycle_stage" in item:
        started = f"contract started {item['contract_start']}" if item.get("contract_start") else ""
        bits += [b for b in (str(item["lifecycle_stage"] or ""), started) if b]
    return bits


def _item_line(item: dict[str, Any], cites: CitationBook, contact_names: dict[str, str]) -> str:
    name = item.get("name") or item.get("account_id", "?")
    bits = []
    if item.get("arr") is not None:
        bits.append(f"ARR ${float(item['arr']):,.0f}")
    if item.get("band"):
        bits.append(str(item["band"]))
    if item.get("renewal_date"):
        bits.append(f"renews {item['renewal_date']}")
    bits += _details(item, contact_names)
    flags = item.get("flags") or []
    if flags:
        bits.append("flags: " + ", ".join(str(f).replace("_", " ") for f in flags))
    n = cites.cite("accounts", str(item.get("account_id", "")))
    record = [cites.cite(src, str(item[key])) for key, src in (("last_activity_id", "activities"),
                                                              ("activity_id", "activities"),
                                                              ("advocacy_id", "advocacy"),
                                                              ("ticket_id", "tickets")) if item.get(key)]
    return f"- **{name}** — {'; '.join(bits)}{marks([n, *record])}"


def _section(title: str, items: list[dict[str, Any]], cites: CitationBook, empty: str,
             contact_names: dict[str, str], *, of_accounts: bool = True) -> list[str]:
    """A titled list with its count and, for a list of accounts, their ARR together ("how much ARR is at risk?")."""
    arr = [float(i["arr"]) for i in items if isinstance(i.get("arr"), int | float)] if of_accounts else []
    total = f"; ARR ${sum(arr):,.0f}" if len(arr) > 1 else ""
    lines = [f"**{title}** ({len(items)}{total})"]
    lines += [_item_line(i, cites, contact_names) for i in items[:LIST_LIMIT]] or [f"- {empty}"]
    if len(items) > LIST_LIMIT:
        lines.append(f"- …and {len(items) - LIST_LIMIT} more (`advocate portfolio`)")
    return [*lines, ""]


def _amount(key: str, value: Any) -> str:
    return f"${float(value or 0):,.0f}" if key in MONEY else f"{float(value or 0):g}"


def csm_section(summary: dict[str, Any], rank_by: str | None) -> list[str]:
    """Per-CSM roll-ups, the CSM the question ranks by named first ("which CSM has the most red accounts?")."""
    rollups = list(summary.get("by_csm") or [])
    if not rollups:
        return []
    lines: list[str] = []
    if rank_by:
        rollups.sort(key=lambda r: (-float(r.get(rank_by) or 0), r.get("csm", "")))
        top = rollups[0]
        value = float(top.get(rank_by) or 0)
        tied = [r["csm"] for r in rollups if float(r.get(rank_by) or 0) == value]
        what = RANK_WORDS.get(rank_by, rank_by.replace("_", " "))
        if value <= 0:
            lines += [f"No CSM has any {what} right now.", ""]
        elif len(tied) > 1:
            lines += [f"**{' and '.join(tied)}** have the most {what} ({_amount(rank_by, value)} each).", ""]
        else:
            lines += [f"**{top['csm']}** has the most {what}: {_amount(rank_by, value)}.", ""]
    lines.append(f"**By CSM** ({len(rollups)})")
    for r in rollups:
        lines.append(f"- **{r.get('csm')}** — {r.get('accounts', 0)} accounts, ARR {_amount('arr', r.get('arr'))}; "
                     f"{r.get('red', 0)} red, {r.get('at_risk', 0)} at risk "
                     f"({_amount('at_risk_arr', r.get('at_risk_arr'))} ARR); "
                     f"{r.get('renewals', 0)} renewing in 90 days ({_amount('renewals_arr', r.get('renewals_arr'))})")
    return [*lines, ""]


def flagged(summary: dict[str, Any], flag: str) -> dict[str, Any]:
    """The summary with its at-risk list narrowed to the accounts carrying one flag ("lost their champion")."""
    items = [i for i in summary.get("at_risk") or [] if flag in (i.get("flags") or [])]
    return {**summary, "at_risk": items}


def banded(summary: dict[str, Any], band: str | None) -> dict[str, Any]:
    """The summary with its `in_band` list: every account of the band named, largest ARR first."""
    if band is None:
        return summary
    return {**summary, "in_band": list((summary.get("accounts_by_band") or {}).get(band) or [])}


def whole_book(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Every account of the summary's book, of every band, largest ARR first."""
    accounts = [item for items in (summary.get("accounts_by_band") or {}).values() for item in items]
    return sorted(accounts, key=lambda i: (-float(i.get("arr") or 0), str(i.get("name"))))


def portfolio_answer(summary: dict[str, Any], sections: tuple[str, ...], cites: CitationBook,
                     contact_names: dict[str, str], flag: str | None = None, band: str | None = None) -> list[str]:
    """The overview line, then the sections the question asked about (all main ones when it named none); with a
    risk flag, the at-risk list holds only the accounts carrying it; with a band, `in_band` lists its accounts."""
    if flag:
        summary = flagged(summary, flag)
    summary = banded(summary, band)
    sections = sections if band else tuple(s for s in sections if s != "in_band")
    bands = summary.get("by_band") or {}
    band_text = ", ".join(f"{n} {b}" for b, n in bands.items() if n)
    whose = f" for {summary['csm']}" if summary.get("csm") else ""
    lines = [f"**Portfolio{whose} as of {summary.get('as_of')}** — {summary.get('accounts', 0)} accounts, "
             f"ARR ${float(summary.get('arr_total') or 0):,.0f}" + (f" ({band_text})." if band_text else "."), ""]
    lines += [*(f"_{note}_" for note in summary.get("notes") or ()), *([""] if summary.get("notes") else [])]
    rank_by = summary.get("rank_by")
    if "by_csm" in sections and rank_by:
        lines += csm_section(summary, rank_by)
    if "open_tickets" in sections:
        items = list(summary.get("open_tickets") or [])
        title = f"Tickets: {summary.get('ticket_filter') or 'open'}"
        lines += _section(title, items, cites, "No ticket matches.", contact_names, of_accounts=False)
    rollup = ("by_csm" in sections or bool(summary.get("rollup"))) and not rank_by
    sections = tuple(s for s in sections if s not in ("by_csm", "open_tickets"))
    if not sections and (rank_by or "open_tickets" in summary):
        return lines + (csm_section(summary, None) if rollup else [])
    lines = _main_sections(summary, sections, cites, contact_names, lines, flag, band)
    return lines + (csm_section(summary, None) if rollup else [])


def _main_sections(summary: dict[str, Any], sections: tuple[str, ...], cites: CitationBook,
                   contact_names: dict[str, str], lines: list[str], flag: str | None = None,
                   band: str | None = None) -> list[str]:
    if "at_risk" in sections and "renewals_next_90d" in sections:
        risky = {i.get("account_id"): i for i in summary.get("at_risk", [])}
        renewals = summary.get("renewals_next_90d", [])
        at_risk = [{**r, "flags": risky[r["account_id"]].get("flags", [])} for r in renewals
                   if r.get("account_id") in risky]
        rest = [r for r in renewals if r.get("account_id") not in risky]
        label = summary.get("renewals_label") or "in the next 90 days"
        lines += _section(f"Renewals {label} that are at risk", at_risk, cites,
                          "None of the upcoming renewals is at risk.", contact_names)
        if rest:
            lines += _section("Renewing soon, not at risk", rest, cites, "", contact_names)
        sections = tuple(s for s in sections if s not in ("at_risk", "renewals_next_90d"))
        if not sections:
            return lines
    elif not sections:
        sections = ("at_risk", "renewals_next_90d", "advocacy_ready")
        if summary.get("csm"):  # one CSM's book is small enough to show whole ("what does noor's book look like?")
            sections += ("book",)
            summary = {**summary, "book": whole_book(summary)}
    for key in sections:
        title = SECTION_TITLES[key]
        if key == "at_risk" and flag:
            title = f"At risk: {flag.replace('_', ' ')} (largest ARR first)"
        if key == "in_band" and band:
            title = f"{band.capitalize()} accounts (largest ARR first)"
        if key == "health_moves" and summary.get("health_moves_label"):
            title = f"{summary['health_moves_label']} in the last 30 days"
        if key == "renewals_next_90d" and summary.get("renewals_label"):
            title = f"Renewals {summary['renewals_label']}"
        lines += _section(title, list(summary.get(key) or []), cites, "None right now.", contact_names)
    return lines
