"""Worker processes die with the ingest that owns them, even one killed with SIGKILL.

Issue 16: after `kill -9` of an ingest's main process, its forkserver, both workers and the
resource tracker still ran 180 s later. This starts a real `corroborate ingest` with
extraction on, waits until its workers exist, kills the main process with SIGKILL and
checks, through /proc, that no process it started is left 10 s later.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import shared_path

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

Proc = tuple[int, str]  # pid and start time: a pid alone may be reused


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: split after its closing parenthesis.
    name_end = raw.rindex(")")
    return [str(pid), raw[raw.index("(") + 1 : name_end], *raw[name_end + 2 :].split()]


def _descendants(root: int) -> dict[Proc, str]:
    """Every live process under `root`, with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            children.setdefault(int(fields[3]), []).append(int(entry.name))
    found: dict[Proc, str] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        fields = _stat(pid)
        if fields is None:
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            cmdline = ""
        found[(pid, fields[21])] = cmdline
        todo.extend(children.get(pid, []))
    return found


def _alive(proc: Proc) -> bool:
    """Running (a zombie has exited: only its parent's wait is missing)."""
    fields = _stat(proc[0])
    return fields is not None and fields[21] == proc[1] and fields[2] not in ("Z", "X")


def _workers(family: dict[Proc, str], main: int) -> list[Proc]:
    """Forked by the forkserver (not the forkserver itself, a child of the main process)."""
    return [proc for proc, cmd in family.items()
            if "forkserver" in cmd and int((_stat(proc[0]) or ["", "", "", "0"])[3]) != main]


def test_sigkill_of_the_ingest_leaves_no_process_behind(tmp_path: Path) -> None:
    basil = shared_path("data", "stories", "basil", "articles")
    corpus = tmp_path / "basil"
    corpus.mkdir()
    for path in sorted(basil.rglob("*.json"))[:60]:
        shutil.copy(path, corpus / path.name)
    cmd = [sys.executable, "-m", "corroborate", "ingest", "--db", str(tmp_path / "k.db"),
           "--no-fetch", "--no-cluster", "--workers", "2", str(corpus)]
    main = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    family: dict[Proc, str] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and main.poll() is None:
            family = _descendants(main.pid)
            if len(_workers(family, main.pid)) >= 2:
                break
            time.sleep(0.1)
        if main.poll() is not None:
            pytest.fail(f"the ingest ended first: {main.communicate()[1].decode()[-2000:]}")
        assert len(_workers(family, main.pid)) >= 2, f"no workers within 60 s: {family}"
        family = _descendants(main.pid)  # all of them, just before the kill
        os.kill(main.pid, signal.SIGKILL)
        main.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.2)
        left = {proc[0]: cmd[:100] for proc, cmd in family.items() if _alive(proc)}
        assert not left, f"still running 10 s after the kill: {left}"
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for proc in family:
            if _alive(proc):
                os.kill(proc[0], signal.SIGKILL)


def test_watchdog_ends_a_worker_whose_owner_is_gone() -> None:
    """The fallback where the kernel's tie does not apply (not Linux, a pool started from a
    thread): the watchdog thread alone ends the worker."""
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    code = (f"import time; from corroborate.lifeline import watch_owner; "
            f"watch_owner({owner.pid}); time.sleep(30)")
    worker = subprocess.Popen([sys.executable, "-c", code])
    try:
        time.sleep(1.0)
        assert worker.poll() is None  # the owner lives: the worker stays
        owner.kill()
        owner.wait()
        assert worker.wait(timeout=5) == 1
    finally:
        for proc in (owner, worker):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
