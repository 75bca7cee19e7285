"""Answer parts for portfolio questions (managers, and CSMs asking across accounts).

The portfolio summary's lists are rendered generically from their contract keys (account_id, name,
arr, band, renewal_date, flags, plus whatever a list adds), so a richer summary needs no change here.
Each listed account is cited by its account record.
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
}
LIST_LIMIT = 8


def _details(item: dict[str, Any], contact_names: dict[str, str]) -> list[str]:
    """The list-specific facts of a portfolio item, in words."""
    bits = []
    if item.get("days") is not None:
        bits.append(f"in {item['days']} days")
    if item.get("score") is not None:
        bits.append(f"score {item['score']}")
    if item.get("kind"):
        who = contact_names.get(str(item.get("contact_id") or ""), "")
        bits.append(f"suggested ask: {str(item['kind']).replace('_', ' ')}" + (f" with {who}" if who else ""))
    if item.get("net") is not None:
        bits.append(f"loyalty net {float(item['net']):+g}")
    if item.get("days_silent") is not None:
        gap = item.get("usual_gap_days")
        bits.append(f"silent {item['days_silent']} days" + (f" (usual gap {float(gap):g})" if gap else ""))
    if item.get("title"):
        bits.append(f"“{item['title']}”")
    if item.get("days_overdue") is not None:
        bits.append(f"{item['days_overdue']} days overdue")
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
                                                              ("activity_id", "activities")) if item.get(key)]
    return f"- **{name}** — {'; '.join(bits)}{marks([n, *record])}"


def _section(title: str, items: list[dict[str, Any]], cites: CitationBook, empty: str,
             contact_names: dict[str, str]) -> list[str]:
    lines = [f"**{title}** ({len(items)})"]
    lines += [_item_line(i, cites, contact_names) for i in items[:LIST_LIMIT]] or [f"- {empty}"]
    if len(items) > LIST_LIMIT:
        lines.append(f"- …and {len(items) - LIST_LIMIT} more (`advocate portfolio`)")
    return [*lines, ""]


def portfolio_answer(summary: dict[str, Any], sections: tuple[str, ...], cites: CitationBook,
                     contact_names: dict[str, str]) -> list[str]:
    """The overview line, then the sections the question asked about (all main ones when it named none)."""
    bands = summary.get("by_band") or {}
    band_text = ", ".join(f"{n} {b}" for b, n in bands.items() if n)
    lines = [f"**Portfolio as of {summary.get('as_of')}** — {summary.get('accounts', 0)} accounts, "
             f"ARR ${float(summary.get('arr_total') or 0):,.0f}" + (f" ({band_text})." if band_text else "."), ""]
    if "at_risk" in sections and "renewals_next_90d" in sections:
        risky = {i.get("account_id"): i for i in summary.get("at_risk", [])}
        renewals = summary.get("renewals_next_90d", [])
        at_risk = [{**r, "flags": risky[r["account_id"]].get("flags", [])} for r in renewals
                   if r.get("account_id") in risky]
        rest = [r for r in renewals if r.get("account_id") not in risky]
        lines += _section("Renewals in the next 90 days that are at risk", at_risk, cites,
                          "None of the upcoming renewals is at risk.", contact_names)
        if rest:
            lines += _section("Renewing soon, not at risk", rest, cites, "", contact_names)
        sections = tuple(s for s in sections if s not in ("at_risk", "renewals_next_90d"))
        if not sections:
            return lines
    elif not sections:
        sections = ("at_risk", "renewals_next_90d", "advocacy_ready")
    for key in sections:
        lines += _section(SECTION_TITLES[key], list(summary.get(key) or []), cites, "None right now.", contact_names)
    return lines
