"""Writes examples/heldout-workspace/usage.csv: weekly active learners per account (deterministic).

Mondays 2026-06-01 … 2026-11-30. Each account follows a hand-set shape; a small fixed wobble keeps the
numbers from looking generated. Run from the repo root: `python examples/make_heldout_usage.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

OUT = Path(__file__).with_name("heldout-workspace") / "usage.csv"
FIRST, WEEKS = dt.date(2026, 6, 1), 27
WOBBLE = (0, 2, -1, 1, -2, 1, 0, -1, 2, 0, 1, -1, 0)
ALL = ["courses", "quizzes", "certificates", "learning_paths", "live_sessions", "mobile_app", "reports", "scorm",
       "skills", "api"]
# account: (active learners per week as a function of the week index, features used)
SHAPES = {
    "kestrel": (lambda w: 700 + 2 * w, ALL[:8]),
    "pinecrest": (lambda w: 190 if w < 19 else 190 - 12 * (w - 18), ["courses", "quizzes", "certificates",
                                                                    "learning_paths", "reports"]),
    "brightside": (lambda w: 820 + 6 * w, ALL),
    "orchard": (lambda w: 540, ["courses", "quizzes", "certificates", "learning_paths", "reports", "mobile_app"]),
    "marlow": (lambda w: 230, ["courses", "quizzes", "learning_paths", "scorm", "mobile_app"]),
    "ironbridge": (lambda w: 1180 + 4 * w, ALL),
    "tidewater": (lambda w: 290, ["courses", "quizzes", "certificates", "learning_paths", "live_sessions"]),
    "copperline": (lambda w: 1600 + 2 * w, ALL),
    "halvorsen": (lambda w: 260, ["courses", "quizzes", "certificates", "mobile_app", "live_sessions"]),
    "elmstead": (lambda w: 85, ["courses", "quizzes", "live_sessions"]),
}


def main() -> None:
    rows = []
    for account, (shape, features) in SHAPES.items():
        for w in range(WEEKS):
            active = shape(w) + WOBBLE[w % len(WOBBLE)]
            rows.append([account, (FIRST + dt.timedelta(weeks=w)).isoformat(), active, active * 3, ";".join(features)])
    start = FIRST + dt.timedelta(weeks=18)  # Sunfield starts in October and ramps up
    for w in range(WEEKS - 18):
        rows.append(["sunfield", (start + dt.timedelta(weeks=w)).isoformat(), 4 + 2 * w, 10 + 6 * w, "courses;scorm"])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["account_id", "date", "active_users", "sessions", "features"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
