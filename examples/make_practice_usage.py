"""Regenerate examples/practice-workspace/usage.csv (weekly usage rows for the practice accounts).

Deterministic: no randomness beyond a hash of (account, week), so rerunning gives the same file.
Weeks are Mondays from 2026-05-18 to 2026-11-16 (the last full week before the practice set's as-of
date, 2026-11-20); 27 rows per account, fewer for Ferrous, which started on 2026-10-01. The shapes are
documented in examples/practice-workspace/SITUATIONS.md.

    python examples/make_practice_usage.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from make_demo_usage import jitter as demo_jitter
from make_demo_usage import write_usage

FIRST_WEEK = date(2026, 5, 18)
WEEKS = 27  # 2026-05-18 .. 2026-11-16
OUT = Path(__file__).parent / "practice-workspace" / "usage.csv"

CORE = ["invoice_capture", "approvals", "payments", "erp_sync"]
FEATURES = [  # every feature, in the order the rows list them
    "invoice_capture", "approvals", "po_matching", "vendor_portal", "payments", "virtual_cards", "corporate_cards",
    "expenses", "mobile_receipts", "erp_sync", "close", "reporting", "api", "sso",
]

# account: (base active users, sessions per user, always-used features, occasionally-used features)
PROFILES: dict[str, tuple[int, float, list[str], list[str]]] = {
    "brightwater": (
        206,
        7.2,
        [*CORE, "po_matching", "vendor_portal", "virtual_cards", "close", "reporting", "api", "sso"],
        ["mobile_receipts"],
    ),
    "kittering": (48, 6.1, [*CORE, "po_matching", "close", "reporting"], ["vendor_portal"]),
    "halcyon": (150, 6.6, [*FEATURES[:5], "virtual_cards", "erp_sync", "close", "reporting", "api", "sso"], []),
    "olivewood": (
        68,
        5.4,
        [*CORE, "corporate_cards", "expenses", "mobile_receipts"],
        ["reporting", "close"],
    ),
    "pemberton": (55, 5.8, [*CORE, "vendor_portal", "reporting"], ["close"]),
    "ferrous": (0, 4.9, ["invoice_capture", "approvals", "vendor_portal"], []),
    "lumen": (
        176,
        6.3,
        [*CORE, "vendor_portal", "corporate_cards", "expenses", "mobile_receipts", "close", "reporting"],
        ["api"],
    ),
    "coastal": (118, 5.9, [*CORE, "po_matching", "vendor_portal", "close", "reporting", "sso"], []),
    "granite": (71, 5.7, [*CORE, "vendor_portal", "reporting"], ["close"]),
    "mariner": (60, 6.0, [*CORE, "po_matching", "vendor_portal", "reporting"], ["api"]),
    "bluefin": (44, 3.9, [*CORE], ["reporting"]),
    "summit": (
        176,
        6.4,
        [*CORE, "po_matching", "vendor_portal", "virtual_cards", "mobile_receipts", "close", "reporting", "sso"],
        ["api"],
    ),
    "redwood": (19, 4.6, [*CORE, "reporting"], []),
    "alder": (15, 4.2, [*CORE, "expenses", "mobile_receipts"], ["sso"]),
}
SEATS = {"summit": 180}

# Exact active-user series for the last 8 weeks (2026-09-28 .. 2026-11-16) of the collapsing account.
KITTERING_LAST_8 = [46, 44, 39, 35, 30, 26, 22, 19]
FERROUS_RAMP = [6, 11, 15, 19, 24, 27, 30]  # 2026-10-05 .. 2026-11-16


def jitter(account: str, week: int, salt: str, spread: float) -> float:
    """The demo script's stable factor, seeded for this workspace."""
    return demo_jitter(account, week, salt, spread, seed="ledgerly:")


def active_users(account: str, week: int) -> int | None:
    base = PROFILES[account][0]
    if account == "ferrous":
        start = WEEKS - len(FERROUS_RAMP)
        return FERROUS_RAMP[week - start] if week >= start else None
    if account == "kittering" and week >= WEEKS - 8:
        return KITTERING_LAST_8[week - (WEEKS - 8)]
    if account == "halcyon":  # steady growth, about +26% over six months (150 -> 190 of 220 seats)
        base = base + round(40 * week / (WEEKS - 1))
    if account == "summit":  # pinned at 96-100% of the 180 licensed seats
        return min(SEATS["summit"], 173 + int(jitter(account, week, "u", 1.0) * 4))
    spread = 0.02 if base > 100 else 0.04  # small teams vary more from week to week
    return round(base * jitter(account, week, "u", spread))


def features(account: str, week: int) -> list[str]:
    always, sometimes = PROFILES[account][2], PROFILES[account][3]
    used = list(always)
    if account == "ferrous" and week >= WEEKS - 3:
        used.append("erp_sync")  # NetSuite sandbox testing from November
    if account == "kittering" and week >= WEEKS - 4:
        used.remove("po_matching")  # nobody works the matching exceptions any more
        used.remove("close")
    used += [f for f in sometimes if jitter(account, week, f, 0.5) > 1.0]
    return sorted(set(used), key=FEATURES.index)


def main() -> None:
    write_usage(OUT, PROFILES, WEEKS, FIRST_WEEK, active_users, features, jitter)


if __name__ == "__main__":
    main()
