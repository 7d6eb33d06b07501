"""Instructions per request, a figure the machine's pace does not move: the WSGI
application called in one process (``bench.cpu``'s client) under callgrind,
counting only the measured requests.

    .venv/bin/python -m bench.instructions [booking|floor] [count]

prints the instructions each request of the kind took, over ``count`` requests (300)
after 30 to warm up, the targets drawn from a fixed seed. Needs Debian's valgrind
package and the bench database (``make bench`` makes it); not part of ``make bench``.
It leaves out what the caches and the other processes add under load.

What a process keeps for some seconds (a service's schedule, the booking policy, the
staff's wording) is kept for the whole count here, and every service's schedule is read
before it: under callgrind a request runs some fifty times slower, so a copy kept for
ten seconds would be read again every few dozen requests, where a server under load
reads it once among thousands.
"""

import os
import random
import re
import subprocess
import sys


def _collect(on: bool) -> None:
    switch = "on" if on else "off"
    subprocess.run(["callgrind_control", "-i", switch, str(os.getpid())], capture_output=True, check=True)


def measured(kind: str, count: int) -> None:
    """Inside callgrind: the requests, counted only while they run."""
    from bench import __main__ as bench

    bench.create_database()
    bench.django_setup()
    from bench import cpu, scenarios
    from queueing.notifications import wording as messages
    from services import models, schedule

    schedule.CACHE_SECONDS = models.POLICY_CACHE_SECONDS = messages.LOCAL_SECONDS = 10**9
    random.seed(7)
    client = cpu.Client(scenarios.prepare())
    for service_id in {int(target.split(" ")[0]) for target in client.targets}:
        schedule.schedule_for(service_id)
    request = getattr(client, kind)
    for _ in range(30):
        request()
    _collect(True)
    for _ in range(count):
        request()
    _collect(False)
    print(f"answers {client.statuses}", flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--measured"]:
        measured(sys.argv[2], int(sys.argv[3]))
        return
    kind = sys.argv[1] if len(sys.argv) > 1 else "booking"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
         sys.executable, "-m", "bench.instructions", "--measured", kind, str(count)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    collected = int(re.search(r"Collected : (\d+)", done.stderr).group(1))
    answers = next(line for line in done.stdout.splitlines() if line.startswith("answers"))
    print(f"{kind}: {collected / count:,.0f} instructions per request, {count} requests ({answers})")


if __name__ == "__main__":
    main()
