"""The widget's files and the API's own docs page, served with a strict Content-Security-Policy.

`/widget` is the chat page (token in the URL fragment, never sent to the server or in a Referer);
`/widget.js` is the one-line embed for the vendor's site: it adds an iframe of `/widget`.
`/docs` renders the OpenAPI schema as plain HTML (no CDN), `/openapi.json` is the schema itself.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from integrations.http.deps import State

router = APIRouter(include_in_schema=False)
TYPES = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}")


@cache
def static_file(name: str) -> bytes:
    return resources.files("integrations.http").joinpath("static", name).read_bytes()


def page_csp(frame_ancestors: list[str]) -> str:
    return PAGE_CSP.format(ancestors=" ".join(["'self'", *frame_ancestors]))


def _file(name: str, csp: str | None = None) -> Response:
    headers = {"Cache-Control": "no-cache"}
    if csp:
        headers["Content-Security-Policy"] = csp
    return Response(static_file(name), media_type=TYPES[name.rsplit(".", 1)[1]], headers=headers)


@router.get("/widget")
def widget_page(state: State) -> Response:
    return _file("widget.html", page_csp(state.settings.http_frame_ancestors))


@router.get("/widget.js")
def widget_embed() -> Response:
    """Loaded by the vendor's pages: it must not carry the widget page's CSP (it runs on their page)."""
    return _file("widget.js")


@router.get("/widget/{name}")
def widget_asset(name: str) -> Response:
    if name not in ("app.js", "widget.css"):
        from integrations.http.errors import ApiError

        raise ApiError(404, "not_found", f"no widget file {name!r}")
    return _file(name)


def _operation_html(path: str, method: str, op: dict[str, Any]) -> str:
    params = ", ".join(html.escape(p["name"]) for p in op.get("parameters", []))
    body = " · JSON body" if "requestBody" in op else ""
    summary = html.escape(op.get("summary", ""))
    return (f"<li><code>{method.upper()} {html.escape(path)}</code> — {summary}"
            f"{f' <small>({params})</small>' if params else ''}{body}</li>")


@router.get("/docs")
def docs_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    items = [_operation_html(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(schema['info']['title'])}"
            f" API</title></head><body><h1>{html.escape(schema['info']['title'])} HTTP API</h1>"
            f"<p>{html.escape(schema['info'].get('description', ''))}</p>"
            f"<p>Machine-readable schema: <a href='/openapi.json'>/openapi.json</a>. Every route but the probes, "
            f"the widget and these docs needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>"
            f"<ul>{''.join(items)}</ul></body></html>")
    return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"})
