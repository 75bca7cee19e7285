"""Terminal renderings of the judgements: health, advocacy check, portfolio (plain text strings).

Each function returns text the CLI prints as is: rich lays out the tables (rendered without colour
codes, so the text is the same on a terminal, in a pipe or in a test), unicode bars draw scores and
the health distribution.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console
from rich.table import Table

from tools.advocacy import AdvocacyCheck
from tools.evidence import Evidence
from tools.health import HealthReport
from tools.portfolio import PortfolioSummary

WIDTH = 110
BAND_MARK = {"green": "● green", "yellow": "◐ yellow", "red": "○ red", "unknown": "? unknown"}


def bar(value: float, total: float, width: int = 20) -> str:
    """A unicode bar of `value` out of `total`, `width` cells wide (eighths for the last cell)."""
    if total <= 0 or value <= 0:
        return ""
    eighths = round(min(1.0, value / total) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("" if rest == 0 else "▏▎▍▌▋▊▉"[rest - 1])


def _evidence(items: Iterable[Evidence]) -> str:
    refs = [f"{e.source.value if hasattr(e.source, 'value') else e.source} {e.id}" for e in items]
    return f"[{', '.join(refs[:4])}{', …' if len(refs) > 4 else ''}]" if refs else ""


def _money(x: float | None) -> str:
    return f"${x:,.0f}" if x else "—"


def _render(*parts: Table | str) -> str:
    """Strings as they are, tables laid out by rich (no colour codes), trailing blanks trimmed."""
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, color_system=None, force_terminal=False, highlight=False,
                      emoji=False, markup=False)
    for part in parts:
        if isinstance(part, str):
            out.write(part.rstrip("\n") + "\n")
        else:
            console.print(part)
        out.write("\n")
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()).strip() + "\n"


def _table(*columns: str, title: str = "") -> Table:
    table = Table(*columns, box=box.SIMPLE_HEAD, title=title or None, title_justify="left", pad_edge=False,
                  show_edge=False)
    return table


def render_health(report: HealthReport) -> str:
    trend = report.trend.delta_30d
    trend_text = "trend n/a" if trend is None else f"{trend:+d} in 30 days"
    score = "—" if report.score is None else f"{report.score}/100"
    if report.capped_by:
        caps = ", ".join(c.value for c in report.capped_by)
        score += f" (components {report.raw_score}, capped by {caps})"
    head = (f"{report.name} ({report.account_id}) — health as of {report.as_of}\n"
            f"Score {score}  {BAND_MARK[report.band.value]}  {trend_text}")
    comps = _table("component", "score", "", "weight", "detail", title="Components")
    for c in report.components:
        shown = "—" if c.score is None else str(c.score)
        comps.add_row(c.name.value, shown, bar(c.score or 0, 100, 10), f"{c.weight:.0%}" if c.scored else "—",
                      c.detail)
    parts: list[Table | str] = [head, comps]
    lines: list[str] = []
    if report.flags:
        lines.append("Flags")
        lines += [f"  ⚑ {f.code.value}: {f.text} {_evidence(f.evidence)}" for f in report.flags]
    else:
        lines.append("Flags: none")
    if report.next_actions:
        lines.append("")
        lines.append("Next actions")
        for i, a in enumerate(report.next_actions, 1):
            lines.append(f"  {i}. {a.text}")
            lines.append(f"     why: {a.why} {_evidence(a.evidence)}")
    if report.data_quality:
        lines.append("")
        lines.append("Data quality")
        lines += [f"  ! {w}" for w in report.data_quality]
    parts.append("\n".join(lines))
    return _render(*parts)


def render_advocacy(check: AdvocacyCheck) -> str:
    lines = [f"{check.name} ({check.account_id}) — advocacy check as of {check.as_of}"]
    verdict = check.verdict.value.replace("_", " ").upper()
    if check.suggested is not None:
        who = check.suggested.contact_name or check.suggested.contact_id or "a contact to identify"
        contact = f" ({check.suggested.contact_id})" if check.suggested.contact_id else ""
        lines.append(f"Verdict: {verdict} — ask {who}{contact} for a {check.suggested.kind.value}")
    else:
        lines.append(f"Verdict: {verdict}")
    b = check.balance
    lines.append(f"Loyalty bank: given {b.given} · asked {b.asked} · net {b.net:+g}")
    if check.reasons:
        lines.append("")
        lines.append("Reasons")
        lines += [f"  ✗ {r.code.value}: {r.text} {_evidence(r.evidence)}" for r in check.reasons]
    if check.before_asking:
        lines.append("")
        lines.append("Before asking")
        lines += [f"  • {a.text}" for a in check.before_asking]
    return _render("\n".join(lines))


def _rows(table: Table, rows: Sequence[Sequence[str]], empty: str) -> Table | str:
    if not rows:
        return f"{table.title}: {empty}"
    for row in rows:
        table.add_row(*row)
    return table


def render_portfolio(summary: PortfolioSummary) -> str:
    who = f"CSM {summary.csm}" if summary.csm else "all CSMs"
    head = (f"Portfolio as of {summary.as_of} — {who}: {summary.accounts} accounts, "
            f"ARR {_money(float(summary.arr_total))}")
    dist = _table("band", "accounts", "", title="Health distribution")
    for band, count in summary.by_band.items():
        dist.add_row(BAND_MARK.get(band, band), str(count), bar(count, summary.accounts or 1, 40))
    risk = _rows(_table("account", "ARR", "band", "renewal", "flags", title="At risk (largest ARR first)"),
                 [(f"{a.name} ({a.account_id})", _money(float(a.arr)), a.band.value, str(a.renewal_date or "—"),
                   ", ".join(f.value for f in a.flags)) for a in summary.at_risk], "none")
    renew = _rows(_table("account", "ARR", "renewal", "in", "band", title="Renewals in the next 90 days"),
                  [(f"{r.name} ({r.account_id})", _money(float(r.arr)), str(r.renewal_date), f"{r.days} d",
                    r.band.value) for r in summary.renewals_next_90d], "none")
    ready = _rows(_table("account", "ARR", "ask", "contact", "net", title="Ready for advocacy"),
                  [(f"{r.name} ({r.account_id})", _money(float(r.arr)), r.kind.value, r.contact_id or "—",
                    f"{r.net:+g}") for r in summary.advocacy_ready], "none")
    silent = _rows(_table("account", "ARR", "silent for", "usual gap", "last touch", title="Silent accounts"),
                   [(f"{s.name} ({s.account_id})", _money(float(s.arr)), f"{s.days_silent} d",
                     f"{s.usual_gap_days:g} d", f"{s.last_touch} ({s.last_activity_id})") for s in summary.silent],
                   "none")
    overdue = _rows(_table("account", "promise", "due", "overdue", title="Overdue commitments"),
                    [(f"{o.name} ({o.account_id})", f"{o.title} ({o.activity_id})", str(o.due),
                      f"{o.days_overdue} d") for o in summary.overdue_commitments], "none")
    return _render(head, dist, risk, renew, ready, silent, overdue)
