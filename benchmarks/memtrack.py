"""Peak resident memory of this process and all its descendants (the worker processes).

ru_maxrss misses workers started by a forkserver (they are not our children), so a
thread samples /proc every 100 ms instead.
"""

from __future__ import annotations

import os
import threading


def tree_rss_mb() -> float:
    """Resident memory of this process and every process descended from it, in MB."""
    parents: dict[int, int] = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    parents[int(pid)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    tree, grew = {os.getpid()}, True
    while grew:
        new = {p for p, pp in parents.items() if pp in tree} - tree
        grew, tree = bool(new), tree | new
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 2**20


class PeakMemory:
    """`with PeakMemory() as peak: ...` then `peak.mb`."""

    def __init__(self) -> None:
        self.mb = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.is_set():
            self.mb = max(self.mb, tree_rss_mb())
            self._done.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
