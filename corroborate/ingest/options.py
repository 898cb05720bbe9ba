"""How an ingest run behaves: a light module of its own, so that the shells can hold options
(the web app builds them at start-up) without importing the pipeline and its models."""

from __future__ import annotations

from dataclasses import dataclass

from corroborate.cluster.near_duplicates import THRESHOLD


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How an ingest run behaves; the CLI and the web app fill this from their flags."""

    fetch: bool = True  # fetch URLs (and feed items that carry only a link)
    allow_private: bool = False  # let URLs reach private/loopback addresses (tests, intranets)
    respect_robots: bool = True
    extract: bool = True  # run the extract stage on new articles as part of ingest
    workers: int = 0  # worker processes; 0 = one per core
    batch_size: int = 32  # inputs per transaction
    doc_timeout_s: float = 60.0  # a document that takes longer to process is skipped
    near_duplicate_threshold: float = THRESHOLD
    # glob patterns of files and folders a folder walk leaves out (matched against the name
    # and the path under the folder given): `--exclude '*.ann'`, `--exclude annotations`
    exclude: tuple[str, ...] = ()
