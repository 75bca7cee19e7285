"""Every error as JSON `{"error": {"code", "message"}}` with the contract's statuses, never a traceback.

Typed errors from the core (BadRequest, UnknownAccount, AccessDenied, NothingIngested) are mapped
here, once; routes raise them or `ApiError` and never build error responses themselves.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from accounts.errors import AccessDenied, AdvocateError, UnknownAccount

log = logging.getLogger(__name__)

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
                422: "invalid", 429: "rate_limited", 503: "unavailable"}


class ApiError(Exception):
    """An HTTP error with a stable code, a one-line message and optional headers (Retry-After)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def status_of(err: AdvocateError) -> tuple[int, str]:
    """The HTTP status and code of a core error."""
    from integrations.wiring import NothingIngested

    if isinstance(err, UnknownAccount):
        return 404, "unknown_account"
    if isinstance(err, AccessDenied):
        return 403, "forbidden"
    if isinstance(err, NothingIngested):
        return 503, "not_ingested"
    return 400, "bad_request"  # BadRequest, WorkspaceError and any other input the caller got wrong


def _validation_message(err: RequestValidationError) -> str:
    first = err.errors()[0] if err.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "request"
    return f"{where}: {first.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, err: ApiError) -> JSONResponse:
        return error_response(err.status, err.code, err.message, err.headers)

    @app.exception_handler(AdvocateError)
    async def core_error(_: Request, err: AdvocateError) -> JSONResponse:
        status, code = status_of(err)
        return error_response(status, code, str(err))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid", _validation_message(err))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(err.status_code, "error")
        message = err.detail if isinstance(err.detail, str) else code.replace("_", " ")
        return error_response(err.status_code, code, message, dict(err.headers or {}))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal", f"internal error ({type(err).__name__})")
