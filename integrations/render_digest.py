"""The weekly digest as Markdown (stdout, e-mail, any chat) — one line per change, with its evidence."""

from __future__ import annotations

from tools.digest import ChangeKind, Digest, DigestLine

HEADINGS = {
    ChangeKind.NEW_RISK: "New risks",
    ChangeKind.HEALTH_MOVE: "Health moves",
    ChangeKind.RENEWAL_WINDOW: "Renewals entering the window",
    ChangeKind.PROMISE_DUE: "Promises coming due",
    ChangeKind.ADVOCACY_READY: "Ready for an advocacy ask",
}


def digest_title(digest: Digest) -> str:
    who = f" for {digest.csm}" if digest.csm else ""
    return f"Weekly digest{who}: {digest.since.isoformat()} → {digest.as_of.isoformat()}"


def evidence_text(line: DigestLine) -> str:
    return ", ".join(f"{e.source.value} {e.id}" for e in line.evidence)


def digest_sections(digest: Digest) -> list[tuple[str, list[DigestLine]]]:
    """(heading, lines) per kind of change that has any, in the digest's order of importance."""
    return [(heading, [line for line in digest.lines if line.kind is kind])
            for kind, heading in HEADINGS.items() if any(line.kind is kind for line in digest.lines)]


def render_digest_markdown(digest: Digest) -> str:
    lines = [f"# {digest_title(digest)}", "",
             f"{digest.accounts} accounts, {len(digest.lines)} changes since last week."]
    if not digest.lines:
        lines += ["", "Nothing changed that needs attention."]
    for heading, items in digest_sections(digest):
        lines += ["", f"## {heading}"]
        for line in items:
            owner = f" ({line.csm})" if line.csm and not digest.csm else ""
            cited = f" [{evidence_text(line)}]" if line.evidence else ""
            lines.append(f"- **{line.name}**{owner}: {line.text}{cited}")
    return "\n".join(lines)
