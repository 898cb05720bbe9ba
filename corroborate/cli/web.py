"""`corroborate serve`: the web app and REST API on uvicorn.

Listening beyond loopback without a token would let anyone
on the network start ingest jobs, so a token is then made up and printed. The server answers
only to Host names it can honestly be reached by (DNS rebinding): see web/hosts.py.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from corroborate.cli.common import DEFAULT_DB, DbOption, console, err_console, errors

commands = typer.Typer()


def serve_token(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token the server will require, and whether it was made up here."""
    from corroborate.web.security import is_loopback_host  # FastAPI: for `serve` only

    if token:
        return token, False
    if is_loopback_host(host):
        return None, False
    return secrets.token_urlsafe(24), True


@commands.command("serve")
def serve_cmd(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help="Token that write endpoints (ingest) require; made up and printed when the "
             "host is not loopback and none is given.", envvar="CORROBORATE_TOKEN")] = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME",
        help="Another name the server answers to in the Host header (repeat, or give a "
             "comma- or space-separated list in the environment variable); '*' answers to "
             "any. By default only --host itself and localhost, 127.0.0.1, [::1] (any port) "
             "are answered, and every address when --host is 0.0.0.0 or ::; other Host "
             "headers get 400, which stops DNS-rebinding pages.",
        envvar="CORROBORATE_ALLOWED_HOSTS")] = None,
) -> None:
    """Serve the web app (stories, dossiers, articles, search, ingest) and /api/v1."""
    import uvicorn

    from corroborate.web import create_app

    token, made_up = serve_token(host, token)
    with errors():
        web = create_app(db, token=token, host=host, allowed_hosts=allowed_host or ())
    shown = f"[{host}]" if ":" in host else host
    console.print(f"corroborate on http://{shown}:{port}/  (API: /api/v1, schema: "
                  f"/openapi.json; database {web.state.web.store.label})")
    if made_up:
        err_console.print(f"listening beyond loopback: ingest needs this token: {token}",
                          soft_wrap=True)
    elif token is None:
        console.print("[dim]writes accepted from this machine only (no token set)[/dim]")
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)
