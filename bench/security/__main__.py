"""`python -m bench.security`: run the probe families and print the report (table or --json).

Exit code 0 when every probe held, 1 when any failed (so CI can gate on it), 2 for bad options.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from bench.security.report import SecurityReport
from bench.security.runner import FAMILIES, TRANSPORTS, Options, available_transports, run_security


def parse(argv: list[str]) -> tuple[Options, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="python -m bench.security", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a CI-sized run (a few minutes at most)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--families", default=",".join(FAMILIES), help=f"comma-separated: {', '.join(FAMILIES)}")
    parser.add_argument("--probes", type=int, help="isolation probes through the first transport")
    parser.add_argument("--transports", help=f"isolation: comma-separated, first gets --probes, others a tenth: "
                        f"{', '.join(TRANSPORTS)} (default: every available one)")
    parser.add_argument("--kills", type=int, help="kill -9 rounds in the crash family")
    parser.add_argument("--scale-mb", type=float, help="MB of public docs to ingest in the scale family (0: skip)")
    parser.add_argument("--no-model", action="store_true", help="injection: offline engine only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, help="keep the scratch workspaces and data dirs here")
    args = parser.parse_args(argv)
    families = tuple(f.strip() for f in args.families.split(",") if f.strip())
    if unknown := [f for f in families if f not in FAMILIES]:
        parser.error(f"unknown families: {', '.join(unknown)}")
    if args.transports is not None:
        transports = tuple(t.strip() for t in args.transports.split(",") if t.strip())
        if not transports or (unknown := [t for t in transports if t not in TRANSPORTS]):
            parser.error(f"--transports: unknown or none: {args.transports!r} (one of {', '.join(TRANSPORTS)})")
        if missing := [t for t in transports if t not in available_transports()]:
            parser.error(f"--transports: not available here (missing dependencies): {', '.join(missing)}")
    options = Options.quick_run() if args.quick else Options()
    changes: dict[str, object] = {"families": families, "seed": args.seed, "work_dir": args.work_dir}
    if args.transports is not None:
        changes["transports"] = transports
    for name in ("probes", "kills", "scale_mb"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.no_model:
        changes["with_model"] = False
    return replace(options, **changes), args  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    options, args = parse(sys.argv[1:] if argv is None else argv)

    def save(report: SecurityReport) -> None:
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")

    report = run_security(options, progress=lambda line: print(line, file=sys.stderr, flush=True), on_family=save)
    print(report.model_dump_json(indent=2) if args.json else report.table())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
