"""A watchlist's alerts as an Atom feed (RFC 4287), for any feed reader."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from corroborate.store.watch import Alert, Watchlist
from corroborate.watch.webhooks import story_link


def alerts_atom(watchlist: Watchlist, alerts: list[Alert], base_url: str) -> str:
    """The feed, newest alert first; each entry links to the story and lists its evidence."""
    base = base_url.rstrip("/")
    updated = alerts[0].created_at if alerts else watchlist.created_at
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{escape(base)}/alerts/{watchlist.id}.atom</id>",
        f"<title>{escape('corroborate alerts: ' + watchlist.name)}</title>",
        f"<updated>{escape(updated)}</updated>",
        f"<link rel=\"self\" href={quoteattr(f'{base}/alerts/{watchlist.id}.atom')}/>",
    ]
    for alert in alerts:
        link = story_link(base, alert.story_id)
        evidence = "".join(
            f"<li>{escape(str(e.get('outlet') or e.get('source') or ''))}: "
            f"{escape(str(e.get('text') or ''))}</li>" for e in alert.evidence)
        summary = f"<p>{escape(alert.detail)}</p><ul>{evidence}</ul>"
        parts += [
            "<entry>",
            f"<id>urn:corroborate:alert:{escape(alert.key)}</id>",
            f"<title>{escape(alert.title)}</title>",
            f"<updated>{escape(alert.created_at)}</updated>",
            f"<category term={quoteattr(alert.kind)}/>",
            f"<link href={quoteattr(link)}/>",
            f"<content type=\"html\">{escape(summary)}</content>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
