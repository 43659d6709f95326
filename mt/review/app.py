"""The review web app: Starlette routes over a ReviewSession, Jinja2 templates, no
JavaScript.

Safe by default:
- Every request needs the session's token (a secrets.token_urlsafe value in the URL
  `mt review` prints); the first visit trades it for an HttpOnly, SameSite=Strict
  cookie and drops it from the address bar. A request that changes something must
  also carry the token in its form (or an X-Mt-Token header) and come from this
  page's origin, so another site cannot submit a form here.
- Host headers other than the address served are refused (DNS rebinding).
- Templates autoescape everything; release text is never marked safe. The
  Content-Security-Policy allows no script at all and styles only from /static.
- Files are served only by name from the session's whitelist (the release's own
  files); glossary writes go only to the session's glossary files.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mt.errors import MtError
from mt.glossary.store import TYPES
from mt.output import FORMATS
from mt.review.session import EditError, Forbidden, NotFound, ReviewSession, sort_findings

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 32 * 1024 * 1024  # an edited sentence, even a very long one, is far below this

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}
FORBIDDEN = "forbidden: open the address `mt review` printed (it carries the session's token)\n"


def cookie_name(token: str) -> str:
    """One cookie per session: two review servers on this machine do not overwrite
    each other's (cookies are per host, not per port)."""
    return "mt_review_" + hashlib.sha256(token.encode()).hexdigest()[:12]


def _host_of(header: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1'."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """ASGI middleware: security headers on every response; the host check and the
    token check before any route runs."""

    def __init__(self, app: ASGIApp, token: str, hosts: tuple[str, ...] | None) -> None:
        self.app, self.token, self.hosts = app, token, hosts
        self.cookie = cookie_name(token)

    def valid(self, value: str | None) -> bool:
        return bool(value) and secrets.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        refusal = self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)

    def refusal(self, request: Request) -> Response | None:
        host = _host_of(request.headers.get("host", ""))
        if self.hosts is not None and host not in self.hosts:
            return PlainTextResponse("refused: unknown host name\n", status_code=400)
        presented = (request.query_params.get("token") or request.headers.get("x-mt-token")
                     or request.cookies.get(self.cookie))
        if not self.valid(presented):
            return PlainTextResponse(FORBIDDEN, status_code=403)
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
                return PlainTextResponse("forbidden: request from another site\n", status_code=403)
            length = request.headers.get("content-length") or "0"
            if not length.isdigit() or int(length) > MAX_BODY:
                return PlainTextResponse("request too large\n", status_code=413)
        return None


def _environment() -> Environment:
    # autoescape=True for every template, whatever its name: release text is escaped.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def create_app(session: ReviewSession, token: str, hosts: tuple[str, ...] | None = LOCAL_HOSTS) -> Starlette:
    """The app for one session. `hosts`: the host names requests may address (None:
    any, for --host 0.0.0.0)."""
    env = _environment()
    guard_cookie = cookie_name(token)

    def render(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(token=token, **context), status_code=status)

    def error(status: int, message: str) -> HTMLResponse:
        return render("error.html", status, title=session.document.title, message=message)

    async def form_of(request: Request) -> dict[str, str]:
        """The posted form; Forbidden unless it carries the token (cookies alone do not
        count for a change)."""
        async with request.form(max_files=0, max_fields=64) as form:
            fields = {key: value for key, value in form.items() if isinstance(value, str)}
        if not (secrets.compare_digest(fields.get("token", "").encode(), token.encode())
                or secrets.compare_digest(request.headers.get("x-mt-token", "").encode(), token.encode())):
            raise Forbidden("token")
        return fields

    async def index(request: Request) -> Response:
        params = dict(request.query_params)
        if "token" in params:
            # First visit: the token moves into a cookie and out of the address bar.
            params.pop("token")
            response = RedirectResponse("/" + (f"?{urlencode(params)}" if params else ""), status_code=303)
            response.set_cookie(guard_cookie, token, httponly=True, samesite="strict", path="/")
            return response
        return render("review.html", **page_context(session, params))

    async def edit(request: Request) -> Response:
        try:
            fields = await form_of(request)
            index, lang = int(fields.get("segment", "")), fields.get("lang", "")
            session.save_edit(index, lang, fields.get("text", ""))
        except Forbidden:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        except (ValueError, NotFound) as exc:
            if isinstance(exc, EditError):
                return error(400, str(exc))
            return PlainTextResponse("not found: no such sentence or language in this release\n", status_code=404)
        except MtError as exc:
            return error(500, f"nothing was saved: {exc}")
        return RedirectResponse(f"/?{urlencode({'saved': f'{index}-{lang}'})}#s{index}", status_code=303)

    async def accept(request: Request) -> Response:
        try:
            fields = await form_of(request)
            entry, target = session.accept_name(fields)
        except Forbidden:
            return PlainTextResponse("forbidden: not a glossary file of this session\n", status_code=403)
        except MtError as exc:
            return error(400, f"not added: {exc}")
        return RedirectResponse(f"/?{urlencode({'added': entry.id})}#names", status_code=303)

    async def download(request: Request) -> Response:
        try:
            path = session.file(request.path_params["name"])
        except NotFound:
            return PlainTextResponse("not found: not a file of this release\n", status_code=404)
        # Always plain text (with nosniff): a draft is shown, never run as HTML.
        return Response(path.read_bytes(), media_type="text/plain; charset=utf-8")

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/edit", edit, methods=["POST"]),
        Route("/glossary/accept", accept, methods=["POST"]),
        Route("/files/{name:path}", download, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Guard, token=token, hosts=hosts)
    return app


def page_context(session: ReviewSession, params: dict[str, str]) -> dict:
    """What review.html shows: every sentence with its drafts, terms and findings,
    narrowed by the check and language filters."""
    with session.lock:
        check, lang_filter = params.get("check", ""), params.get("lang", "")
        langs = [lang for lang in session.langs if not lang_filter or lang == lang_filter]
        rows = []
        for segment in session.segments:
            cells = []
            for lang in langs:
                translation = session.translations[lang][segment.index]
                findings = [f for f in session.findings_for(segment.index, lang) if not check or f.check == check]
                missing = [t for t in translation.terms if not t.found]
                cells.append({"lang": lang, "text": translation.text, "origin": translation.origin,
                              "parts": session.target_parts(translation), "findings": findings, "missing": missing})
            general = sort_findings([f for f in session.findings if f.segment == segment.index and not f.lang
                                     and (not check or f.check == check)])
            if (check or lang_filter) and not general and not any(cell["findings"] for cell in cells):
                continue
            rows.append({"segment": segment, "source": session.source_parts(segment.index),
                         "cells": cells, "general": general})
        counts = {severity: sum(f.severity == severity for f in session.findings)
                  for severity in ("error", "warning", "info")}
        return {
            "title": session.document.title,
            "release": session.release.name,
            "langs": langs,
            "all_langs": session.langs,
            "rows": rows,
            "total": len(session.segments),
            "counts": counts,
            "checks": sorted({f.check for f in session.findings}),
            "check": check,
            "lang_filter": lang_filter,
            "saved": params.get("saved", ""),
            "added": params.get("added", ""),
            "files": list(session.files()),
            "proposals": session.proposals,
            "types": TYPES,
            "targets": list(session.glossary_targets()),
            "default_target": session.default_target,
            "glossary_changed": session.glossary_changed,
            "kept": [f"{session.stem.name}.{lang}.{FORMATS[fmt][0]}" for fmt in session.kept_formats
                     for lang in session.langs],
            "meta": session.meta,
        }
