"""`corroborate batch` on a local Ray: articles/s with 1 and 2 actors (the scaling ratio) and
the memory (RSS) of each actor, on the extraction benchmarks' pages written as WARC files.

Usage:
    .venv/bin/python benchmarks/batch_ray.py [--workers 1 2] [--repeat 1] [--files 4]

The pages of ../shared/data/extraction (the Zyte benchmark's 181 and trafilatura's cached
ones) go into `--files` gzipped WARC files, `--repeat` times each (a repeat under another URL:
the actors clean and extract it again, the store keeps one copy). Each worker count runs
`run_batch` into a fresh store: read tasks, the actor pool (clean, extract, embed the lead),
the driver's writes. Clustering and cross-checking run in the driver after it, not on Ray:
they are left out. Three rates are printed: over the whole run (Ray's start and the actors'
model loading included); steady (from the first block of results stored to the last); and
per actor CPU second over that same stretch (the actors' user + system time from /proc): the
per-core rate a capacity plan needs, which other users of a shared machine do not lower much.
RSS is sampled each 0.5 s from /proc for every Ray actor process (`ray::MapWorker...`) and
the driver; the peak is printed. The machine's load average is printed before and after: on
a shared machine the wall-clock rates depend on it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path
from typing import Any

from corroborate.batch.runner import BatchOptions, run_batch
from corroborate.records import IngestEvent, Outcome
from corroborate.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction"


def pages() -> list[tuple[str, bytes]]:
    """(url, html) of every benchmark page, in a fixed order."""
    root = SHARED / "scrapinghub"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    out = [(truth[p.name.split(".")[0]]["url"], gzip.decompress(p.read_bytes()))
           for p in sorted((root / "html").glob("*.html.gz"))]
    cache = SHARED / "trafilatura-eval-dev" / "cache"
    out += [(f"https://{p.name.removesuffix('.html.gz')}/", gzip.decompress(p.read_bytes()))
            for p in sorted(cache.glob("*.html.gz"))]
    return out


def write_warcs(folder: Path, items: list[tuple[str, bytes]], files: int, repeat: int) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records = [(f"{url}{'' if r == 0 else f'?r={r}'}", body)
               for r in range(repeat) for url, body in items]
    for i in range(files):
        with (folder / f"news-{i:02d}.warc.gz").open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for url, body in records[i::files]:
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                        protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    url, "response", payload=BytesIO(body), http_headers=http))
    return len(records)


class RssSampler:
    """Peak RSS (MB) of each Ray actor process and of this process, sampled from /proc."""

    def __init__(self, every_s: float = 0.5) -> None:
        self.every_s = every_s
        self.peak: dict[int, float] = {}
        self.driver = 0.0
        self._before = set(_actor_pids())  # a previous run's actors, still exiting
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.driver = max(self.driver, _rss_mb(os.getpid()))
            for pid in set(_actor_pids()) - self._before:
                self.peak[pid] = max(self.peak.get(pid, 0.0), _rss_mb(pid))

    def actor_cpu_s(self) -> float:
        """User + system seconds the actors seen so far have used."""
        return sum(_cpu_s(pid) for pid in list(self.peak))


def _actor_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmd.startswith(b"ray::MapWorker"):
                pids.append(int(entry.name))
    return pids


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(inputs: Path, workers: int, tmp: Path) -> dict[str, Any]:
    db = tmp / f"batch-{workers}.db"
    times: list[float] = []
    cpu: list[float] = []  # the actors' CPU seconds when the first and the last result came
    stored = 0
    rss = RssSampler()

    def on_event(event: IngestEvent) -> None:
        nonlocal stored
        times.append(time.perf_counter())
        if len(cpu) < 2:
            cpu.append(rss.actor_cpu_s())
        else:
            cpu[1] = rss.actor_cpu_s()
        stored += event.outcome in (Outcome.INGESTED, Outcome.NEAR_DUPLICATE, Outcome.DUPLICATE)

    load_before = os.getloadavg()
    started = time.perf_counter()
    with Store(db) as store, rss:
        summary = run_batch([str(inputs)], store, str(db), BatchOptions(workers=workers),
                            on_event=on_event)
    wall = time.perf_counter() - started
    # Results arrive a block at a time: "steady" starts once the first block is stored.
    first = sum(1 for t in times if t - times[0] < 0.5)
    steady = (len(times) - first) / (times[-1] - times[0]) if len(times) > first else 0.0
    per_cpu = (len(times) - first) / (cpu[1] - cpu[0]) if len(cpu) == 2 and cpu[1] > cpu[0] \
        else 0.0
    return {
        "workers": workers, "documents": summary.total, "articles": stored,
        "skipped": summary.count(Outcome.SKIPPED), "wall_s": round(wall, 1),
        "rate": round(summary.total / wall, 2), "steady_rate": round(steady, 2),
        "per_actor_cpu_s": round(per_cpu, 2),
        "first_result_s": round(times[0] - started, 1) if times else None,
        "actor_rss_mb": sorted(round(v) for v in rss.peak.values()),
        "driver_rss_mb": round(rss.driver), "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--files", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="batch-ray-") as tmp_name:
        tmp = Path(tmp_name)
        inputs = tmp / "warc"
        inputs.mkdir()
        n = write_warcs(inputs, pages(), args.files, args.repeat)
        print(f"{n} pages in {args.files} WARC files; {os.cpu_count()} cores; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        results = []
        for workers in args.workers:
            result = measure(inputs, workers, tmp)
            results.append(result)
            print(json.dumps(result), flush=True)
    base = results[0]
    print("\n| actors | docs | wall s | first result s | docs/s (all) | docs/s (steady) | "
          "docs per actor CPU s | actor RSS MB | load before → after |\n" + "|---" * 9 + "|")
    for r in results:
        print(f"| {r['workers']} | {r['documents']} | {r['wall_s']} | {r['first_result_s']} | "
              f"{r['rate']} | {r['steady_rate']} | {r['per_actor_cpu_s']} | "
              f"{', '.join(map(str, r['actor_rss_mb']))} | "
              f"{r['load_before'][0]} → {r['load_after'][0]} |")
    for r in results[1:]:
        if base["steady_rate"]:
            print(f"SUMMARY scaling {base['workers']} → {r['workers']} actors: "
                  f"x{r['steady_rate'] / base['steady_rate']:.2f} steady, "
                  f"x{r['rate'] / base['rate']:.2f} whole run")


if __name__ == "__main__":
    main()
