"""Outlet identity: one outlet per publisher, however its name or web host is written.

Independence is counted on outlets, so "fox", "FOX" and foxnews.com must be one outlet, and
edition.cnn.com one with cnn.com. A web host folds to its registrable domain with the public
suffix list bundled in tldextract (never fetched); a table of known outlets and news agencies
(`outlets.toml`: name, domains, aliases, whether it is a wire) names the publisher behind a
domain or an alias. A user extends or overrides that table with a TOML file of the same shape
named by the CORROBORATE_OUTLETS environment variable. The key of an outlet is
"outlet:<id>" for a known one, "outlet:<domain>" for an unknown one with a web host, and
"outlet:<name, case-folded>" for a bare name.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

ENV_VAR = "CORROBORATE_OUTLETS"
_SPACE = re.compile(r"\s+")
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


@dataclass(frozen=True, slots=True)
class KnownOutlet:
    id: str
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    wire: bool


@dataclass(frozen=True, slots=True)
class OutletIdentity:
    """Who published an article: the stable key, the name to show, the host kept as data."""

    key: str
    name: str
    domain: str | None = None
    wire: bool = False


class OutletTable:
    """Known outlets by id, domain and alias (aliases case- and space-insensitive)."""

    def __init__(self, entries: list[KnownOutlet]) -> None:
        self.by_id: dict[str, KnownOutlet] = {}
        self._by_domain: dict[str, KnownOutlet] = {}
        self._by_alias: dict[str, KnownOutlet] = {}
        for entry in entries:  # later entries (the user's) override earlier ones
            self.by_id[entry.id] = entry
        for entry in self.by_id.values():
            for domain in entry.domains:
                self._by_domain[domain.casefold()] = entry
            for alias in (entry.name, *entry.aliases):
                self._by_alias[fold_name(alias)] = entry

    def by_domain(self, domain: str) -> KnownOutlet | None:
        return self._by_domain.get(domain.casefold())

    def by_alias(self, name: str) -> KnownOutlet | None:
        return self._by_alias.get(fold_name(name))

    def identify(self, name: str | None, url: str | None = None) -> OutletIdentity:
        """The outlet behind an article's outlet name and URL (either may be missing)."""
        domain = registrable_domain(url) if url else None
        if domain is None and name and _HOST.match(name.strip().casefold()):
            domain = registrable_domain(name.strip())  # a host given as the outlet's name
        known = (self.by_domain(domain) if domain else None) or \
            (self.by_alias(name) if name else None)
        if known is not None:
            return OutletIdentity(f"outlet:{known.id}", known.name, domain, known.wire)
        shown = _SPACE.sub(" ", name).strip() if name and name.strip() else None
        if domain:
            return OutletIdentity(f"outlet:{domain}", shown or domain, domain)
        if shown:
            return OutletIdentity(f"outlet:{fold_name(shown)}", shown)
        return OutletIdentity("outlet:unknown", "unknown outlet")

    def canonical_key(self, key: str) -> str:
        """An extract-stage outlet key ("outlet:associated press") as the table's key."""
        if not key.startswith("outlet:"):
            return key
        rest = key.split(":", 1)[1]
        if rest in self.by_id:
            return key
        known = self.by_alias(rest) or (self.by_domain(rest) if "." in rest else None)
        return f"outlet:{known.id}" if known is not None else f"outlet:{fold_name(rest)}"

    def is_wire(self, key: str) -> bool:
        known = self.by_id.get(key.split(":", 1)[1]) if key.startswith("outlet:") else None
        return bool(known and known.wire)


def fold_name(name: str) -> str:
    """Case-, accent- and space-insensitive form of a name; a leading "the" dropped."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _SPACE.sub(" ", re.sub(r"[^\w&+ ]", " ", text)).strip()
    return text.removeprefix("the ") if text != "the" else text


@lru_cache(maxsize=1)
def _extractor():  # type: ignore[no-untyped-def]
    import tldextract

    # The bundled public suffix snapshot only: no fetch, no cache directory written.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=True)


def registrable_domain(url: str) -> str | None:
    """The registrable domain of a URL or host ("edition.cnn.com" → "cnn.com"), or None."""
    text = url.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname
    if not host:
        return None
    host = host.casefold().rstrip(".")
    domain = _extractor()(host).top_domain_under_public_suffix
    # a host under no public suffix (an intranet name, an address): the host itself
    return domain or (host.removeprefix("www.") if "." in host else None)


def _load(text: str, origin: str) -> list[KnownOutlet]:
    data = tomllib.loads(text)
    out = []
    for ident, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            log.warning("%s: outlet %r has no name; ignored", origin, ident)
            continue
        out.append(KnownOutlet(
            id=str(ident).casefold(),
            name=entry["name"],
            domains=tuple(str(d).casefold() for d in entry.get("domains", ())),
            aliases=tuple(str(a) for a in entry.get("aliases", ())),
            wire=bool(entry.get("wire", False)),
        ))
    return out


@lru_cache(maxsize=1)
def outlet_table() -> OutletTable:
    """The bundled table, extended by the file CORROBORATE_OUTLETS names (read once)."""
    bundled = resources.files("corroborate").joinpath("outlets.toml").read_text("utf-8")
    entries = _load(bundled, "outlets.toml")
    extra = os.environ.get(ENV_VAR)
    if extra:
        path = Path(extra).expanduser()
        try:
            entries += _load(path.read_text("utf-8"), str(path))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            log.warning("%s=%s could not be read (%s); using the bundled outlets only",
                        ENV_VAR, path, exc)
    return OutletTable(entries)
