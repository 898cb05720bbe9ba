"""HTML responses from WARC archives (plain or gzipped), streamed record by record.

Crawls arrive truncated (a copy cut short) or damaged; warcio then raises whatever its
parser hits (even AttributeError) or simply stops early. Either way the records read before
the damage are kept and the rest of the file becomes one skip that says where it broke.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from corroborate.ingest.opening import MAX_DOC_BYTES, MB, failure_reason, open_regular
from corroborate.records import DocFormat, RawDocument, Skip

log = logging.getLogger(__name__)


def read_warc(path: Path) -> Iterator[RawDocument | Skip]:
    """The HTML responses of a WARC; a damaged part is a skip, the records before it stay."""
    records = found = 0
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        try:
            archive = ArchiveIterator(fh)
            for record in archive:
                records += 1
                for item in _response(path, archive, record):
                    found += 1
                    yield item
        except Exception as exc:  # warcio raises anything on a damaged record
            where = f"after {records} good records" if records else "at the first record"
            reason = f"unreadable WARC {where}: {failure_reason(exc)}"
            log.warning("%s: %s", path, reason)
            yield Skip(str(path), reason)
            return
        # A damaged gzip member or a header cut short ends warcio's iteration quietly.
        end = archive.offset
        if end < size:
            yield Skip(str(path), f"WARC truncated or damaged after {records} records: the last "
                                  f"{size - end} bytes are not a complete record")
        elif not found:
            yield Skip(str(path), f"no HTML response in this WARC ({records} records)")


def _response(path: Path, archive: ArchiveIterator, record: Any) -> Iterator[RawDocument | Skip]:
    """One record as an HTML document, or nothing when it is not an HTML response."""
    if record.rec_type != "response":
        archive.read_to_end()  # so that `archive.offset` follows every record
        return
    url = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    status = http.get_statuscode() if http else None
    ctype = (http.get_header("Content-Type") or "") if http else ""
    if (status and not status.startswith("2")) or (ctype and "html" not in ctype.lower()):
        archive.read_to_end()
        return
    body = record.content_stream().read(MAX_DOC_BYTES + 1)
    # Only after the body is read: asking for the offset reads the record to its end.
    source = f"{path}#{archive.get_record_offset()}"
    if len(body) > MAX_DOC_BYTES:
        yield Skip(source, f"response over the {MAX_DOC_BYTES / MB:.0f} MB limit")
    elif getattr(record.raw_stream, "limit", 0) > 0:  # Content-Length promised more
        yield Skip(source, "record truncated: the file ends inside it")
    else:
        yield RawDocument(source, body, DocFormat.HTML, url, {"url": url} if url else {})
