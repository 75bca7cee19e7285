"""The reader's only door to the disk: every file it opens resolves inside the workspace folder.

A workspace is an export a stranger may have prepared. A symlink in `docs/` pointing at
`/etc/passwd` would otherwise be ingested as a public doc that every customer can search, so a
link (file or folder) resolving outside the folder is refused by name before anything is read.
Links that stay inside are followed; a folder link back to one of its own ancestors is a loop
and refused; a folder reached twice is walked once (so link fan-out cannot explode the walk).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from accounts.errors import WorkspaceError

OUTSIDE = "is a symlink resolving outside the workspace folder: refused, nothing read"


class WorkspaceFiles:
    """Checked access to the files of one workspace folder, by path relative to it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()

    def real_path(self, path: Path, rel: str) -> Path:
        """Where `path` really is, or WorkspaceError when that is outside the folder or a link loop."""
        try:
            real = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 reports a symlink loop this way
            raise WorkspaceError(rel, None, "is a symlink loop: refused") from None
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise WorkspaceError(rel, None, "is a symlink loop: refused") from None
            raise WorkspaceError(rel, None, f"cannot be read ({err.strerror or err})") from None
        if real != self.real_root and self.real_root not in real.parents:
            raise WorkspaceError(rel, None, OUTSIDE)
        return real

    def file(self, rel: str) -> Path | None:
        """The checked real path of a top-level file, or None when there is none (a missing file is no data)."""
        path = self.root / rel
        if not os.path.lexists(path):
            return None
        real = self.real_path(path, rel)
        if real.is_dir():
            raise WorkspaceError(rel, None, "is a folder, expected a file")
        return real

    def folder(self, rel: str) -> Path | None:
        """The checked real path of a top-level folder, or None when there is none."""
        path = self.root / rel
        if not os.path.lexists(path):
            return None
        real = self.real_path(path, rel)
        if not real.is_dir():
            raise WorkspaceError(rel, None, "expected a folder")
        return real

    def walk(self, rel: str, suffixes: tuple[str, ...], *, recursive: bool = True) -> Iterator[tuple[str, Path]]:
        """(relative name, checked real path) of every file under a folder ending in one of `suffixes`, sorted."""
        top = self.folder(rel)
        if top is None:
            return
        seen: set[Path] = set()
        yield from self._walk(Path(rel), top, suffixes, recursive, seen, (top,))

    def _walk(
        self, rel: Path, real: Path, suffixes: tuple[str, ...], recursive: bool, seen: set[Path],
        ancestors: tuple[Path, ...],
    ) -> Iterator[tuple[str, Path]]:
        if real in seen:
            return
        seen.add(real)
        for entry in sorted(os.scandir(real), key=lambda e: e.name):
            child_rel = (rel / entry.name).as_posix()
            target = self.real_path(Path(entry.path), child_rel) if entry.is_symlink() else Path(entry.path)
            if target.is_dir():
                if not recursive:
                    continue
                if target in ancestors:
                    raise WorkspaceError(child_rel, None, "is a symlink loop (links to a folder above it): refused")
                yield from self._walk(rel / entry.name, target, suffixes, recursive, seen, (*ancestors, target))
            elif entry.name.endswith(suffixes):
                yield child_rel, target

    @staticmethod
    def read_bytes(real: Path, rel: str, max_bytes: int, what: str = "file") -> bytes:
        """A regular file's bytes (never a FIFO or device), refused by size before it is read."""
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as err:
            raise WorkspaceError(rel, None, f"cannot be read ({err.strerror or err})") from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise WorkspaceError(rel, None, "is not a regular file: refused")
            if info.st_size > max_bytes:
                raise WorkspaceError(
                    rel, None, f"{what} is {info.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit"
                )
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew while we read
            raise WorkspaceError(rel, None, f"{what} is over the {max_bytes / 1e6:.1f} MB limit")
        return data
