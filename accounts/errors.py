"""Typed errors of the account book; the CLI and HTTP edges map them to exit codes and statuses."""

from __future__ import annotations


class AdvocateError(Exception):
    """Base of every error a user can cause; `str(err)` is one line that says what and where."""


class WorkspaceError(AdvocateError):
    """A workspace file that cannot be read: names the file, the line (when known) and the problem."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class UnknownAccount(AdvocateError):
    """An account id that the book does not hold."""

    def __init__(self, account_id: str, closest: list[str]) -> None:
        self.account_id = account_id
        self.closest = closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"unknown account {account_id!r}{hint}")


class AccessDenied(AdvocateError):
    """The principal may not see what it asked for."""


class BadRequest(AdvocateError):
    """A request that is malformed (a missing option, a bad date) rather than forbidden."""
