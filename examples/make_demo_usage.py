"""Regenerate examples/demo-workspace/usage.csv (weekly usage rows for the demo accounts).

Deterministic: no randomness beyond a hash of (account, week), so rerunning gives the same file.
Weeks are Mondays from 2026-05-18 to 2026-11-16 (the demo's as-of date); 27 rows per account,
fewer for Pied Piper, which started on 2026-09-15. The shapes are documented in SITUATIONS.md.

    python examples/make_demo_usage.py
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIRST_WEEK = date(2026, 5, 18)
WEEKS = 27  # 2026-05-18 .. 2026-11-16
OUT = Path(__file__).parent / "demo-workspace" / "usage.csv"

CORE = ["dispatch", "scheduling", "mobile_app"]
FEATURES = [  # every feature, in the order the rows list them
    *CORE, "offline_sync", "route_optimization", "inventory", "invoicing", "reporting", "customer_portal", "api", "sso",
]

# account: (base active users, sessions per user, always-used features, occasionally-used features)
PROFILES: dict[str, tuple[int, float, list[str], list[str]]] = {
    "globex": (
        288,
        6.1,
        [*CORE, "offline_sync", "route_optimization", "inventory", "invoicing", "api"],
        ["reporting"],
    ),
    "initech": (58, 5.4, [*CORE, "route_optimization", "invoicing"], ["reporting"]),
    "hooli": (258, 6.8, list(FEATURES), []),  # uses everything
    "umbrella": (222, 5.2, [*CORE, "offline_sync", "inventory", "reporting", "sso"], ["customer_portal"]),
    "contoso": (65, 5.0, [*CORE, "invoicing", "reporting"], ["api"]),
    "vandelay": (77, 5.6, [*CORE, "inventory", "invoicing", "route_optimization"], ["reporting"]),
    "piedpiper": (0, 4.2, ["dispatch", "mobile_app"], []),
    "stark": (
        395,
        6.4,
        [*CORE, "offline_sync", "route_optimization", "inventory", "invoicing", "reporting", "api", "sso"],
        ["customer_portal"],
    ),
    "wayne": (
        412,
        6.0,
        [*CORE, "offline_sync", "route_optimization", "inventory", "invoicing", "reporting", "sso"],
        ["api"],
    ),
    "cyberdyne": (61, 5.5, [*CORE, "route_optimization", "api"], ["reporting"]),
    # Acme bought the reporting add-on but never uses it.
    "acme": (40, 4.6, [*CORE, "invoicing"], []),
    "soylent": (25, 4.8, [*CORE, "invoicing"], []),
    "tyrell": (
        182,
        5.9,
        [*CORE, "offline_sync", "inventory", "invoicing", "reporting", "customer_portal"],
        [],
    ),
    "wonka": (16, 4.4, [*CORE, "invoicing"], ["route_optimization"]),
    "oscorp": (52, 5.1, [*CORE, "inventory", "reporting"], []),
    "gringotts": (236, 5.3, [*CORE, "offline_sync", "inventory", "reporting", "api", "sso"], []),
}
SEATS = {"wayne": 420}

# Exact active-user series for the last 8 weeks (2026-09-28 .. 2026-11-16) of the declining accounts.
INITECH_LAST_8 = [57, 55, 52, 49, 45, 42, 40, 38]
SOYLENT_LAST_8 = [24, 23, 21, 20, 18, 17, 16, 15]
PIEDPIPER_RAMP = [4, 7, 11, 14, 16, 18, 19, 20, 21]  # 2026-09-21 .. 2026-11-16


def jitter(account: str, week: int, salt: str, spread: float, seed: str = "") -> float:
    """A stable pseudo-random factor in [1 - spread, 1 + spread] (`seed`: another workspace's own sequence)."""
    digest = hashlib.sha256(f"{seed}{account}:{week}:{salt}".encode()).digest()
    return 1 - spread + 2 * spread * (digest[0] / 255)


def active_users(account: str, week: int) -> int | None:
    base = PROFILES[account][0]
    if account == "piedpiper":
        start = WEEKS - len(PIEDPIPER_RAMP)
        return PIEDPIPER_RAMP[week - start] if week >= start else None
    if account == "initech":
        if week >= WEEKS - 8:
            return INITECH_LAST_8[week - (WEEKS - 8)]
        seasonal = 6 if 4 <= week <= 17 else 0  # 8 seasonal technicians, 2026-06-15 .. 2026-09-14
        return round((base + seasonal) * jitter(account, week, "u", 0.015))
    if account == "soylent" and week >= WEEKS - 8:
        return SOYLENT_LAST_8[week - (WEEKS - 8)]
    if account == "hooli":  # steady growth, about +23% over six months
        base = base + round(60 * week / (WEEKS - 1))
    if account == "wayne":  # pinned at 96-100% of the 420 licensed seats
        return min(SEATS["wayne"], 404 + int(jitter(account, week, "u", 1.0) * 8))
    spread = 0.02 if base > 100 else 0.05  # small teams vary more from week to week
    return round(base * jitter(account, week, "u", spread))


def features(account: str, week: int) -> list[str]:
    always, sometimes = PROFILES[account][2], PROFILES[account][3]
    used = list(always)
    if account == "piedpiper" and week >= WEEKS - 5:
        used.append("scheduling")
    if account == "initech" and week >= WEEKS - 4:
        used.remove("route_optimization")  # dispatchers stopped re-planning routes
    used += [f for f in sometimes if jitter(account, week, f, 0.5) > 1.0]
    return sorted(set(used), key=FEATURES.index)


def write_usage(out: Path, profiles: Mapping[str, tuple[Any, ...]], weeks: int, first_week: date,
                active_users: Callable[[str, int], int | None], features: Callable[[str, int], list[str]],
                jitter: Callable[[str, int, str, float], float]) -> None:
    """One row per account and week (Mondays from `first_week`): active users, sessions (users x the profile's
    sessions per user, jittered) and features; shared by every bundled workspace's usage script."""
    rows = []
    for account in profiles:
        for week in range(weeks):
            users = active_users(account, week)
            if users is None:
                continue
            sessions = round(users * profiles[account][1] * jitter(account, week, "s", 0.04))
            day = first_week + timedelta(weeks=week)
            rows.append([account, day.isoformat(), users, sessions, ";".join(features(account, week))])
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account_id", "date", "active_users", "sessions", "features"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")


def main() -> None:
    write_usage(OUT, PROFILES, WEEKS, FIRST_WEEK, active_users, features, jitter)


if __name__ == "__main__":
    main()
