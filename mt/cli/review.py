"""`mt review`: check and fix a release's drafts in the browser (thin over mt.review)."""

from __future__ import annotations

import secrets
import webbrowser

import click

from mt.cli._common import glossary_option
from mt.review.session import ReviewSession

LOCAL = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.argument("release", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", default=None,
              help="Folder `mt translate --out` wrote the drafts to (default: beside the release).")
@glossary_option
@click.option("--tm", "tm_path", default=None, help="Translation memory for the edits (default: user cache).")
@click.option("--translator", default="", help="Who edits (stored with each sentence, as `mt tm import` does).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this machine can reach 127.0.0.1; any other address lets "
                   "others on the network reach the page (the token still guards it).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
@click.option("--accept-changes", is_flag=True,
              help="A .docx with tracked changes: read it as Word's Accept All leaves it (as `mt translate "
                   "--accept-changes` did for its drafts).")
def review(release: str, out_dir: str | None, glossary_paths: tuple[str, ...], tm_path: str | None,
           translator: str, host: str, port: int, open_browser: bool, accept_changes: bool) -> None:
    """Serve a review page for RELEASE (after `mt translate`): each sentence beside its
    de/en/ru drafts, glossary terms marked, QA findings, unknown names, memory matches.
    Saving a sentence puts it into the translation memory as a human translation,
    rewrites the drafts and re-runs QA for it; Confirm (Ctrl+Enter) approves it (machine
    output unchanged is stored as approved, not as human). A save based on an outdated
    version of a sentence is refused, never written over. Accepting a name adds it to the
    glossary. Prints the page's address (with its access token) and serves until Ctrl+C."""
    from mt.review.app import create_app
    from mt.review.server import WILDCARDS, bind, serve, url

    session = ReviewSession(release, out_dir, glossary_paths, tm_path, translator, accept_changes)
    token = secrets.token_urlsafe(32)
    hosts = None if host in WILDCARDS else tuple(dict.fromkeys([*LOCAL, host])) if host in LOCAL else (host,)
    app = create_app(session, token, hosts)
    sock = bind(host, port)
    address = url(sock, token)
    if host not in LOCAL:
        click.echo(f"mt review: warning: listening on {host}: anyone who can reach this machine and has the "
                   "address below can change the drafts and the glossary", err=True)
    click.echo(f"mt review: {len(session.segments)} sentences in {', '.join(session.langs)}; open {address}")
    click.echo("mt review: press Ctrl+C to stop", err=True)
    if open_browser:
        webbrowser.open(address)
    serve(app, sock)
