"""`corroborate watch` as a process: it polls, and SIGTERM stops it cleanly (exit 0, the
store consistent and its feed state kept for the next start)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feed_server import FeedServer, serving

from corroborate.store import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_watch_process_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    with serving(FeedServer()) as server:
        config = tmp_path / "watch.toml"
        config.write_text("[watch]\nallow_private = true\nper_host_interval = 0\n"
                          + "".join(f'[[feed]]\nurl = "{u}"\ninterval = 1\n'
                                    for u in server.feed_urls()))
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen([sys.executable, "-m", "corroborate", "watch", str(config),
                                 "--db", str(db)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # the first round's report
            assert line.startswith("polled 4"), line + (proc.stderr.read() if proc.stderr
                                                         else "")
            deadline = time.monotonic() + 30
            while server.not_modified < 4 and time.monotonic() < deadline:
                time.sleep(0.1)  # a second round: it goes on polling on schedule
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        assert "SIGTERM" in err and "stopped" in err
        assert server.not_modified >= 4  # the second round's were conditional GETs
    with Store(db) as store:
        states = store.watch.feed_states()
        assert set(states) == set(server.feed_urls())
        assert all(s.etag for s in states.values())


def test_watch_once_polls_every_feed_and_exits(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corroborate.cli import app

    db = tmp_path / "watch.db"
    with serving(FeedServer()) as server:
        config = tmp_path / "watch.toml"
        config.write_text("[watch]\nallow_private = true\nper_host_interval = 0\n"
                          + "".join(f'[[feed]]\nurl = "{u}"\n' for u in server.feed_urls()))
        for _ in range(2):
            result = CliRunner().invoke(app, ["watch", str(config), "--once", "--db", str(db)])
            assert result.exit_code == 0, result.output
        assert result.output.startswith("polled 4 (not modified 4, failed 0), stored 0")
        assert server.not_modified == 4
