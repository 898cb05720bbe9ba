"""Watching in the `corroborate` CLI: `watch` (the long-running poller, or `--once` for cron),
`watchlist-add`, `watchlists`, `watchlist-rm` and `alerts`.

`watch` runs until SIGTERM or Ctrl-C, finishing the step in progress first (every step
commits on its own, so stopping between steps loses nothing); see docs/watch.md.
"""

from __future__ import annotations

import json
import signal
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from corroborate.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    console,
    err_console,
    errors,
    open_store,
)
from corroborate.errors import NotFoundError, UsageError
from corroborate.store.watch import WATCHLIST_KINDS

commands = typer.Typer()


@commands.command("watch")
def watch_cmd(
    config: Annotated[Path, typer.Argument(help="The watch config (TOML): see "
                                                "examples/watch.toml.")],
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit "
                                                      "(for cron).")] = False,
    db: DbOption = DEFAULT_DB,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing per round.")
                     ] = False,
) -> None:
    """Poll feeds and URL lists on a schedule, feed new items through the pipeline, and
    raise the alerts of your watchlists."""
    from corroborate.watch.config import load_config
    from corroborate.watch.watcher import Round, Watcher

    with errors():
        settings = load_config(config)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        err_console.print(f"{signal.Signals(signum).name}: stopping after the current step")
        stop.set()

    def report(done: Round) -> None:
        if quiet:
            return
        console.print(f"polled {done.polled} (not modified {done.not_modified}, failed "
                      f"{done.failed}), stored {done.stored}, alerts {len(done.alerts)}, "
                      f"webhooks delivered {done.delivered}")
        for alert in done.alerts:
            console.print(f"  [bold]{escape(alert.kind)}[/bold] story {alert.story_id}: "
                          f"{escape(alert.title)}")

    with open_store(db, create=True) as store, errors(), \
            Watcher(store, settings, stop=stop) as watcher:
        if once:
            report(watcher.run_once(force=True))
            return
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            watcher.run_forever(on_round=report)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
    err_console.print("stopped")


@commands.command("watchlist-add")
def watchlist_add_cmd(
    query: Annotated[str, typer.Argument(help="The entity, place, outlet, words, text or "
                                              "story id to watch.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help="What the query is: "
                                      + ", ".join(WATCHLIST_KINDS) + ".")] = "words",
    name: Annotated[str, typer.Option("--name", help="A name for it (default: the query).")
                    ] = "",
    webhook: Annotated[str | None, typer.Option("--webhook", help="POST each alert to this "
                                                "URL, signed.")] = None,
    secret: Annotated[str | None, typer.Option("--secret", help="The webhook's HMAC-SHA256 "
                                               "key.", envvar="CORROBORATE_WEBHOOK_SECRET")
                      ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Save a watchlist: alerts for the stories that match it from now on."""
    from corroborate.watch.watchlists import add_watchlist

    with open_store(db, create=True) as store, errors():
        wl = add_watchlist(store, name, kind, query, webhook_url=webhook, webhook_secret=secret)
    if as_json:
        print(json.dumps(_watchlist_dict(wl)))
    else:
        console.print(f"watchlist {wl.id}: {escape(wl.name)} ({wl.kind}: {escape(wl.query)})")


@commands.command("watchlists")
def watchlists_cmd(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """List the watchlists."""
    with open_store(db) as store:
        found = store.watch.watchlists()
    if as_json:
        print(json.dumps([_watchlist_dict(wl) for wl in found], ensure_ascii=False))
        return
    table = Table("id", "name", "kind", "query", "webhook")
    for wl in found:
        table.add_row(str(wl.id), escape(wl.name), wl.kind, escape(wl.query),
                      escape(wl.webhook_url or ""))
    console.print(table)


@commands.command("watchlist-rm")
def watchlist_rm_cmd(watchlist_id: Annotated[int, typer.Argument(help="Watchlist id.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Delete a watchlist and its alerts."""
    with open_store(db) as store, errors(), store.writer() as w:
        if not w.watch.remove_watchlist(watchlist_id):
            raise NotFoundError(f"no watchlist {watchlist_id} (see `corroborate "
                                "watchlists`)")
    console.print(f"watchlist {watchlist_id} deleted")


@commands.command("alerts")
def alerts_cmd(
    watchlist_id: Annotated[int | None, typer.Option("--watchlist", "-w",
                                                     help="Only this watchlist's.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many.")] = 50,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """The newest alerts, each with its evidence."""
    with open_store(db) as store, errors():
        if watchlist_id is not None and store.watch.watchlist(watchlist_id) is None:
            raise NotFoundError(f"no watchlist {watchlist_id} (see `corroborate watchlists`)")
        if limit < 1:
            raise UsageError("--limit must be at least 1")
        found = store.watch.alerts(watchlist_id, limit=limit)
    if as_json:
        print(json.dumps([asdict(a) for a in found], ensure_ascii=False))
        return
    for a in found:
        console.print(f"[bold]#{a.id} {escape(a.kind)}[/bold] story {a.story_id} "
                      f"(watchlist {a.watchlist_id}, {a.created_at}): {escape(a.title)}")
        console.print(f"  {escape(a.detail)}", soft_wrap=True)
        for e in a.evidence[:3]:
            who = e.get("outlet") or e.get("source") or ""
            console.print(f"  · {escape(str(who))}: {escape(str(e.get('text') or ''))}",
                          soft_wrap=True)
    if not found:
        console.print("no alerts yet")


def _watchlist_dict(wl: Any) -> dict[str, Any]:
    data = asdict(wl)
    data.pop("webhook_secret", None)  # never printed
    return data
