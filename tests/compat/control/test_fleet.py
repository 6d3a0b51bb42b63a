"""compat.control.fleet: a flag flip in one process reaches another process through PostgreSQL in < 1 s."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import postgres_database

from compat.control.fleet import Fleet, start_fleet
from compat.flags import FlagStore, Stage, set_rollback, set_stage

WORKER = Path(__file__).with_name("fleet_worker.py")
FLAGS = "version: 1\nrollback: false\ndefault: sync\ntargets:\n  repositories: shadow\n"


@pytest.fixture(scope="module")
def pg_url():
    with postgres_database() as url:
        yield url


class Worker:
    """A real process in the fleet, with its own flags file (as if on its own machine)."""

    def __init__(self, url: str, path: Path) -> None:
        self.path = path
        self.lines: queue.Queue[dict] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), url, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def next(self, timeout: float = 15) -> dict:
        return self.lines.get(timeout=timeout)

    def wait_for(self, **expected) -> dict:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            line = self.next(timeout=max(0.01, deadline - time.monotonic()))
            if all(line.get(k) == v for k, v in expected.items()):
                return line
        raise AssertionError(f"{self.path} never reached {expected}")

    def drain(self) -> None:
        """Forget what was printed so far: the next line is news."""
        while not self.lines.empty():
            self.lines.get_nowait()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(5)


def test_a_flip_in_one_process_reaches_another_within_a_second(pg_url, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a_path, b_path = tmp_path / "a" / "feature_flags.yaml", tmp_path / "b" / "feature_flags.yaml"
    a_path.write_text(FLAGS)
    b_path.write_text(FLAGS.replace("shadow", "sync"))  # a stale file: joining the fleet fixes it
    a = Worker(pg_url, a_path)
    try:
        assert a.next() == {"ready": True}
        b = Worker(pg_url, b_path)
        try:
            assert b.next() == {"ready": True}
            b.wait_for(stage="shadow", rollback=False)  # b adopted the fleet's flags on start
            a.wait_for(stage="shadow")
            for change, expected in (
                (lambda p: set_stage(p, "repositories", "live"), {"stage": "live"}),
                (lambda p: set_rollback(p, True), {"stage": "sync", "rollback": True}),
            ):
                b.drain()
                flipped = time.time()
                change(a_path)  # the flip, made on a's side
                seen = b.wait_for(**expected)
                print(f"fleet: {expected} seen by the other process {seen['at'] - flipped:.3f}s after the flip")
                assert seen["at"] - flipped < 1.0, f"b saw it {seen['at'] - flipped:.3f}s after a's flip"
            time.sleep(0.3)  # let a settle on the fleet's rollback (it printed it already)
            a.drain()
            flipped = time.time()
            set_rollback(b_path, False)  # and back, the other way round
            seen = a.wait_for(stage="live", rollback=False)
            assert seen["at"] - flipped < 1.0
            assert "rollback: false" in a_path.read_text()  # a's own file follows too
        finally:
            b.stop()
    finally:
        a.stop()


def test_an_invalid_document_is_never_installed(pg_url, tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS)
    fleet = Fleet(pg_url, FlagStore(path))
    assert fleet.install(99, "version: 1\ntargets:\n  repositories: sideways\n") is False
    assert path.read_text() == FLAGS and fleet.version == 0


def test_a_read_only_flags_file_holds_the_fleet_s_version_in_memory(pg_url, tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS)
    tmp_path.chmod(0o555)
    path.chmod(0o444)
    try:
        store = FlagStore(path)
        if __import__("os").access(path, __import__("os").W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        assert Fleet(pg_url, store).install(7, FLAGS.replace("shadow", "async"))
        assert store.stage("repositories") is Stage.ASYNC
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_without_postgresql_there_is_no_fleet_and_the_file_decides(tmp_path):
    store = FlagStore(tmp_path / "feature_flags.yaml")
    assert start_fleet(f"sqlite:///{tmp_path / 'x.db'}", store) is None
    assert start_fleet(None, store) is None
    with pytest.raises(ValueError, match="need PostgreSQL"):
        Fleet(f"sqlite:///{tmp_path / 'x.db'}", store)
