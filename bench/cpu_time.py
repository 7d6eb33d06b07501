"""CPU time of processes from Linux's scheduler statistics (``/proc/<pid>/task/*/
schedstat``): nanoseconds, where ``/proc/<pid>/stat`` counts in ticks of 10 ms, too
coarse for the tenth of a millisecond a request's part takes.

A thread or process that ends between two readings takes its time with it: the
figures are for long-lived processes (a server's workers, a database's backends).
"""

import os
import subprocess


def process_cpu_seconds(pid: int) -> float:
    """The CPU all threads of process ``pid`` have spent so far (0 once it is gone)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
                total += int(handle.read().split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total / 1e9


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    return [pid, *(descendant for child in found for descendant in tree(int(child)))]


def postgresql_pids() -> list[int]:
    """Every process of the database server: backends, WAL writer, checkpointer."""
    found = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True, check=False).stdout.split()
    return [int(pid) for pid in found]


class Spent:
    """The CPU that a server's process tree and the database server spend between
    ``start()`` and ``stop()``, in ms."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def _read(self) -> tuple[dict[int, float], dict[int, float]]:
        return (
            {pid: 1000 * process_cpu_seconds(pid) for pid in tree(self.server_pid)},
            {pid: 1000 * process_cpu_seconds(pid) for pid in postgresql_pids()},
        )

    def start(self) -> None:
        self.before = self._read()

    def stop(self) -> dict[str, float]:
        after = self._read()
        # A process started in between (a new backend) counts from nothing.
        server, database = (
            sum(spent - before.get(pid, 0.0) for pid, spent in now.items())
            for now, before in zip(after, self.before, strict=True)
        )
        return {"server_cpu_ms": server, "postgresql_cpu_ms": database}
