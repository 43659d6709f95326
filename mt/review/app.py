"""The review web app: Starlette routes over a ReviewSession, Jinja2 templates and one
small first-party script (/static/review.js: in-place save and confirm, keys, help at
the sentence); without JavaScript every form still works by plain POST and redirect.

Safe by default:
- Every request needs the session's token (a secrets.token_urlsafe value in the URL
  `mt review` prints); the first visit trades it for an HttpOnly, SameSite=Strict
  cookie and drops it from the address bar. A request that changes something must
  also carry the token in its form (or an X-Mt-Token header) and come from this
  page's origin, so another site cannot submit a form here.
- Host headers other than the address served are refused (DNS rebinding).
- Templates autoescape everything; release text is never marked safe. The
  Content-Security-Policy allows scripts, styles and fetches only from this server
  (/static/review.js: no inline script, no third-party code).
- Files are served only by name from the session's whitelist (the release's own
  files); glossary writes go only to the session's glossary files.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mt.errors import MtError
from mt.glossary.store import TYPES
from mt.output import FORMATS
from mt.qa import registry
from mt.qa.release import project_config
from mt.review.session import STATES, Cell, Conflict, EditError, Forbidden, NotFound, ReviewSession, sort_findings

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 32 * 1024 * 1024  # an edited sentence, even a very long one, is far below this
PAGE = 40  # sentences per window: a 500-sentence release is 13 light pages, not one heavy one
FILTERS = ("check", "lang", "state")  # query parameters a save keeps (the page's filters)

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                               "img-src 'self'; form-action 'self'; "
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
        return value is not None and bool(value) and secrets.compare_digest(value.encode(), self.token.encode())

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

    def wants_json(request: Request) -> bool:
        return "application/json" in request.headers.get("accept", "")

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

    def cell_json(cell: Cell, status: str, code: int = 200, yours: str = "") -> JSONResponse:
        context = cell_context(session, cell)
        html = env.get_template("cell.html").render(token=token, cell=context, index=cell.index,
                                                    source=session.segments[cell.index].text,
                                                    filters={}, start=0,
                                                    conflict=yours if status == "conflict" else None)
        return JSONResponse({"status": status, "segment": cell.index, "lang": cell.lang, "state": cell.state,
                             "version": cell.version, "text": cell.text, "html": html,
                             "counts": state_counts(session)}, status_code=code)

    async def edit(request: Request) -> Response:
        try:
            fields = await form_of(request)
            index, lang = int(fields.get("segment", "")), fields.get("lang", "")
            confirm = fields.get("action") == "confirm"
            cell = session.save_edit(index, lang, fields.get("text", ""), fields.get("version", ""), confirm)
        except Forbidden:
            return PlainTextResponse(FORBIDDEN, status_code=403)
        except Conflict as conflict:
            if wants_json(request):
                return cell_json(conflict.cell, "conflict", 409, conflict.yours)
            kept = {key: fields.get(f"keep_{key}", "") for key in FILTERS}
            return render("conflict.html", 409, cell=cell_context(session, conflict.cell), index=conflict.cell.index,
                          source=session.segments[conflict.cell.index].text, conflict=conflict.yours,
                          filters={k: v for k, v in kept.items() if v}, start=0, title=session.document.title)
        except (ValueError, NotFound) as exc:
            if isinstance(exc, EditError):
                return JSONResponse({"status": "error", "message": str(exc)}, 400) if wants_json(request) \
                    else error(400, str(exc))
            return PlainTextResponse("not found: no such sentence or language in this release\n", status_code=404)
        except MtError as exc:
            if wants_json(request):
                return JSONResponse({"status": "error", "message": f"nothing was saved: {exc}"}, 500)
            return error(500, f"nothing was saved: {exc}")
        if wants_json(request):
            return cell_json(cell, "confirmed" if confirm else "saved")
        # Without the script: back to the same filters and window, at the sentence.
        kept = {key: fields[f"keep_{key}"] for key in (*FILTERS, "start") if fields.get(f"keep_{key}")}
        return RedirectResponse(f"/?{urlencode({**kept, 'saved': f'{index}-{lang}'})}#s{index}", status_code=303)

    async def sentence(request: Request) -> Response:
        """Help at the sentence: the memory's matches and the sentence's history (the
        whole page, or with ?part=1 the panel alone for the script)."""
        try:
            index, lang = int(request.path_params["index"]), request.path_params["lang"]
            session.refresh()
            cell = session.cell(index, lang)
        except (ValueError, NotFound):
            return PlainTextResponse("not found: no such sentence or language in this release\n", status_code=404)
        except MtError as exc:
            return error(500, str(exc))
        matches: list = []
        history: list = []
        try:
            memory = session.memory() if session.has_memory() else None
            try:
                if memory is not None:
                    matches, history = session.matches(index, lang, memory), session.history(index, lang, memory)
            finally:
                if memory is not None:
                    memory.close()
        except MtError as exc:
            return error(500, str(exc))
        context = {"cell": cell, "index": index, "lang": lang, "source": session.segments[index].text,
                   "matches": matches, "history": history, "title": session.document.title,
                   "when": _when, "origins": ORIGINS}
        name = "help.html" if request.query_params.get("part") else "sentence.html"
        return render(name, **context)

    async def concordance(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[:200]
        lang = request.query_params.get("lang", "")
        units = []
        if query and session.has_memory():
            memory = session.memory()
            try:
                units = memory.search(query, lang if lang in session.langs else None)
            finally:
                memory.close()
        name = "concordance_part.html" if request.query_params.get("part") else "concordance.html"
        return render(name, query=query, lang=lang, units=units, langs=session.langs, title=session.document.title,
                      origins=ORIGINS, when=_when)

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
        Route("/sentence/{index:int}/{lang}", sentence, methods=["GET"]),
        Route("/concordance", concordance, methods=["GET"]),
        Route("/glossary/accept", accept, methods=["POST"]),
        Route("/files/{name:path}", download, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Guard, token=token, hosts=hosts)
    return app


ORIGINS = {"engine": "machine", "tm": "machine, from the memory", "machine": "machine", "human": "human",
           "approved": "machine, confirmed by a translator"}
ACTIONS = {"machine": "machine draft", "edit": "edited", "confirm": "confirmed", "revert": "reverted to machine",
           "disk": "edited in a draft file"}


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds)) if seconds else ""


def cell_context(session: ReviewSession, cell: Cell) -> dict:
    """What cell.html shows for one sentence x language."""
    translation = cell.translation
    return {"lang": cell.lang, "text": cell.text, "origin": cell.origin, "state": cell.state, "version": cell.version,
            "machine": cell.machine, "disk": cell.disk, "behind": cell.decision.target if cell.decision and cell.behind else "",
            "parts": session.target_parts(translation), "findings": session.findings_for(cell.index, cell.lang),
            "missing": [t for t in translation.terms if not t.found]}


def state_counts(session: ReviewSession, cells: dict[str, dict[int, Cell]] | None = None) -> dict[str, dict]:
    """Per language: how many sentences are in each state (and the total)."""
    cells = cells or {lang: session.cells(lang) for lang in session.langs}
    return {lang: {**{state: sum(c.state == state for c in found.values()) for state in STATES},
                   "total": len(found)} for lang, found in cells.items()}


def page_context(session: ReviewSession, params: dict[str, str]) -> dict:
    """What review.html shows: one window of sentences with their drafts, states,
    terms and findings, narrowed by the check, language and state filters."""
    session.refresh()
    with session.lock:
        check, lang_filter, state = params.get("check", ""), params.get("lang", ""), params.get("state", "")
        langs = [lang for lang in session.langs if not lang_filter or lang == lang_filter]
        try:
            if not session.has_memory():
                raise MtError("no memory yet")
            memory = session.memory()
        except MtError:
            every = {lang: session.cells(lang) for lang in session.langs}  # says why in memory_error
        else:
            try:
                every = {lang: session.cells(lang, memory=memory) for lang in session.langs}
            finally:
                memory.close()
        chosen = []
        for segment in session.segments:
            index = segment.index
            if state and not any(every[lang][index].state == state or
                                 (state == "unconfirmed" and every[lang][index].state != "confirmed")
                                 for lang in langs):
                continue
            if check:  # sentences with such a finding (in the languages shown)
                general = [f for f in session.findings if f.segment == index and not f.lang
                           and (not check or f.check == check)]
                own = [f for lang in langs for f in session.findings_for(index, lang) if not check or f.check == check]
                if not general and not own:
                    continue
            chosen.append(index)
        try:
            start = max(0, int(params.get("start", "0") or 0))
        except ValueError:
            start = 0
        start = min(start - start % PAGE, max(0, (len(chosen) - 1) // PAGE * PAGE))
        rows = []
        for index in chosen[start:start + PAGE]:
            cells = []
            for lang in langs:
                context = cell_context(session, every[lang][index])
                context["findings"] = [f for f in context["findings"] if not check or f.check == check]
                cells.append(context)
            general = sort_findings([f for f in session.findings if f.segment == index and not f.lang
                                     and (not check or f.check == check)])
            rows.append({"segment": session.segments[index], "source": session.source_parts(index),
                         "cells": cells, "general": general})
        counts = {severity: sum(f.severity == severity for f in session.findings)
                  for severity in ("error", "warning", "info")}
        filters = {key: value for key, value in (("check", check), ("lang", lang_filter), ("state", state)) if value}
        return {
            "title": session.document.title,
            "release": session.release.name,
            "langs": langs,
            "all_langs": session.langs,
            "rows": rows,
            "total": len(session.segments),
            "shown": len(chosen),
            "start": start,
            "page": PAGE,
            "prev_url": "/?" + urlencode({**filters, "start": start - PAGE}) if start > 0 else "",
            "next_url": "/?" + urlencode({**filters, "start": start + PAGE}) if start + PAGE < len(chosen) else "",
            "filters": filters,
            "counts": counts,
            "states": state_counts(session, every),
            "checks": sorted({f.check for f in session.findings}),
            # what each QA check looks for, shown with its id in the check filter
            "check_titles": {c.id: c.title for c in registry(project_config()).values()},
            "check": check,
            "lang_filter": lang_filter,
            "state": state,
            "saved": params.get("saved", ""),
            "added": params.get("added", ""),
            "files": list(session.files()),
            "foreign": sorted(path.name for path in session.foreign),
            "memory_error": session.memory_error,
            "proposals": session.proposals,
            "types": TYPES,
            "targets": list(session.glossary_targets()),
            "default_target": session.default_target,
            "glossary_changed": session.glossary_changed,
            "kept": [f"{session.stem.name}.{lang}.{FORMATS[fmt][0]}" for fmt in session.kept_formats
                     for lang in session.langs],
            "meta": session.meta,
        }
