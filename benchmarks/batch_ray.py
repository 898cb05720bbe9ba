"""`corroborate batch` on a local Ray: articles/s with 1 and 2 actors (the scaling ratio) and
the memory (RSS) of each actor, on the extraction benchmarks' pages written as WARC files.

Usage:
    .venv/bin/python benchmarks/batch_ray.py [--workers 1 2] [--repeat 1] [--files 4]

The pages of ../shared/data/extraction (the Zyte benchmark's 181 and trafilatura's cached
ones) go into `--files` gzipped WARC files, `--repeat` times each (a repeat under another URL:
the actors clean and extract it again, the store keeps one copy). Each worker count runs
`run_batch` into a fresh store: read tasks, the actor pool (clean, extract, embed the lead),
the driver's writes. Clustering and cross-checking run in the driver after it, not on Ray:
they are left out. Rates printed: over the whole run (Ray's start and the actors' model
loading included); the actor stage's (documents over the time from the first actor call's
start to the last one's end, each call timed in the actor); per actor busy second; and per
actor CPU second (the actor's process time over its calls, all threads): the per-core rate a
capacity plan needs, which other users of a shared machine lower least.
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

from corroborate.batch import actors
from corroborate.batch.actors import PrepareArticles
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


class TimedPrepare(PrepareArticles):
    """The actor, noting when each of its calls ran (a line per call in TIMINGS), so that the
    actor stage's rate can be read without Ray's start and the models' loading."""

    def __call__(self, batch: Any) -> Any:
        started, cpu = time.time(), time.process_time()
        out = super().__call__(batch)
        with open(os.environ["BATCH_RAY_TIMINGS"], "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {started} {time.time()} {batch.num_rows} "
                     f"{time.process_time() - cpu}\n")
        return out


def actor_stage(timings: Path) -> tuple[float, float, float]:
    """Documents per second from the first actor call's start to the last one's end; per
    second of an actor's busy time; per CPU second of the actors (all their threads)."""
    calls = [line.split() for line in timings.read_text().splitlines()]
    start = min(float(c[1]) for c in calls)
    end = max(float(c[2]) for c in calls)
    docs = sum(int(c[3]) for c in calls)
    busy = sum(float(c[2]) - float(c[1]) for c in calls)
    cpu = sum(float(c[4]) for c in calls)
    return docs / (end - start), docs / busy, docs / cpu


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
    stored = 0
    rss = RssSampler()

    def on_event(event: IngestEvent) -> None:
        nonlocal stored
        times.append(time.perf_counter())
        stored += event.outcome in (Outcome.INGESTED, Outcome.NEAR_DUPLICATE, Outcome.DUPLICATE)

    timings = tmp / f"timings-{workers}.txt"
    os.environ["BATCH_RAY_TIMINGS"] = str(timings)  # the actors inherit it (local Ray)
    actors.PrepareArticles = TimedPrepare  # type: ignore[misc]  # what run_batch deploys
    load_before = os.getloadavg()
    started = time.perf_counter()
    with Store(db) as store, rss:
        summary = run_batch([str(inputs)], store, str(db), BatchOptions(workers=workers),
                            on_event=on_event)
    wall = time.perf_counter() - started
    stage_rate, busy_rate, cpu_rate = actor_stage(timings)
    return {
        "workers": workers, "documents": summary.total, "articles": stored,
        "skipped": summary.count(Outcome.SKIPPED), "wall_s": round(wall, 1),
        "rate": round(summary.total / wall, 2),
        "per_actor_cpu_s": round(cpu_rate, 2), "actor_stage_rate": round(stage_rate, 2),
        "per_actor_busy_s": round(busy_rate, 2),
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
    print("\n| actors | docs | wall s | docs/s (all) | actor stage docs/s | docs per actor "
          "busy s | docs per actor CPU s | actor RSS MB | load before → after |\n"
          + "|---" * 9 + "|")
    for r in results:
        print(f"| {r['workers']} | {r['documents']} | {r['wall_s']} | {r['rate']} | "
              f"{r['actor_stage_rate']} | {r['per_actor_busy_s']} | {r['per_actor_cpu_s']} | "
              f"{', '.join(map(str, r['actor_rss_mb']))} | "
              f"{r['load_before'][0]} → {r['load_after'][0]} |")
    for r in results[1:]:
        print(f"SUMMARY scaling {base['workers']} → {r['workers']} actors: "
              f"x{r['actor_stage_rate'] / base['actor_stage_rate']:.2f} actor stage, "
              f"x{r['rate'] / base['rate']:.2f} whole run")


if __name__ == "__main__":
    main()
