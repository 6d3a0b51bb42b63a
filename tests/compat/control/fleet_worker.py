"""One process of a fleet, for test_fleet: joins the fleet and prints each change of its flags.

Usage: python fleet_worker.py DATABASE_URL FLAGS_FILE. Prints ``{"ready": true}``, then one JSON line
``{"at": epoch seconds, "stage": ..., "rollback": ...}`` whenever what its store answers changes.
"""

from __future__ import annotations

import json
import sys
import time

from compat.control.fleet import Fleet
from compat.flags import FlagStore


def main() -> None:
    url, path = sys.argv[1:3]
    store = FlagStore(path, poll_interval=0.05)
    fleet = Fleet(url, store).start()
    if not fleet.ready.wait(15):
        print(json.dumps({"ready": False}), flush=True)
        return
    print(json.dumps({"ready": True}), flush=True)
    last = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = (store.stage("repositories").value, store.snapshot().rollback)
        if state != last:
            print(json.dumps({"at": time.time(), "stage": state[0], "rollback": state[1]}), flush=True)
            last = state
        time.sleep(0.002)


if __name__ == "__main__":
    main()
