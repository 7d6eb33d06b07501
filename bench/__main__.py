"""`make bench`: the portal's benchmarks against PostgreSQL and the production server.

Starts gunicorn on a scratch database, drives it with wrk (32 connections), prints one
line per measurement and a JSON summary in bench-results/. Everything runs on this
machine: the load generator shares its cores with the server, so the figures are a
floor for a machine of this size, not a ceiling.
"""

import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
NOTIFICATION_PAIRS = int(os.environ.get("BENCH_NOTIFICATION_PAIRS", "11"))
NOTIFIER_PAIRS = int(os.environ.get("BENCH_NOTIFIER_PAIRS", "9"))
RATIO_PAIRS = int(os.environ.get("BENCH_RATIO_PAIRS", "5"))
# Two things compared in one pair are measured in this many short runs each, taking
# turns (A B, B A, A B, …): the machine's pace drifts by more than the differences
# measured within seconds, and turns this short make the drift fall on both alike.
SEGMENTS = int(os.environ.get("BENCH_SEGMENTS", "5"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mpp_bench")
LUA = Path(__file__).with_name("wrk_post.lua")
CPU_KEYS = ("server_cpu_ms", "postgresql_cpu_ms")

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "RATELIMIT_ENABLED": "0",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
}


def django_setup() -> None:
    os.environ.update(ENV)
    import django

    django.setup()


def create_database() -> None:
    import psycopg2
    from psycopg2 import sql

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


RUNS = iter(range(1, 1000))


def wrk(mode: str, targets: list[str], url: str, seconds: int = SECONDS) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(targets) + "\n")
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(LUA), url],
        env={**os.environ, "BENCH_MODE": mode, "BENCH_TARGETS": handle.name, "BENCH_NIK_BASE": str(next(RUNS))},
        capture_output=True,
        text=True,
        check=False,
    )
    os.unlink(handle.name)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / result["seconds"]
    if mode == "booking" and not result["statuses"].get("201"):
        # Refusals are cheaper than bookings: a run that made none measures nothing.
        raise RuntimeError(f"no booking was made: {result['statuses']}")
    return result


def merged(runs: list[dict]) -> dict:
    """Runs of one kind as one: counts added, percentiles (as wrk reckons them) of all
    their latencies together."""
    statuses: dict[str, int] = {}
    latencies: dict[int, int] = {}
    for run in runs:
        for code, count in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
        for value, count in run["latency_us"]:
            latencies[value] = latencies.get(value, 0) + count
    values = sorted(latencies)
    total = sum(latencies.values())

    def percentile(p: float) -> float:
        rank, seen = round(p / 100 * total + 0.5), 0
        for value in values:
            seen += latencies[value]
            if seen >= rank:
                return value / 1000
        return values[-1] / 1000 if values else 0.0

    requests, seconds = sum(r["requests"] for r in runs), sum(r["seconds"] for r in runs)
    return {
        "requests": requests,
        "seconds": seconds,
        "rps": requests / seconds,
        "errors": sum(r["errors"] for r in runs),
        "statuses": statuses,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "segments_rps": [round(r["rps"], 1) for r in runs],
        # What the server and the database spent, where the runs measured it.
        **{key: sum(r[key] for r in runs) for key in CPU_KEYS if all(key in r for r in runs)},
    }


def taking_turns(runs: dict[str, Callable[[int], dict]], *, pair: int = 0) -> dict[str, dict]:
    """Each of ``runs`` (a run of the given seconds) ``SEGMENTS`` times, taking turns
    in the order A B, B A, A B, … (B A, A B, … in odd ``pair``s), ``SECONDS`` in all
    for each; each merged."""
    seconds = max(1, SECONDS // SEGMENTS)
    names = list(runs) if pair % 2 == 0 else list(reversed(runs))
    done: dict[str, list[dict]] = {name: [] for name in names}
    for segment in range(SEGMENTS):
        for name in names if segment % 2 == 0 else reversed(names):
            done[name].append(runs[name](seconds))
    return {name: merged(parts) for name, parts in done.items()}


class Server:
    def __init__(self, port: int = PORT, **env: str) -> None:
        self.process: subprocess.Popen | None = None
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**ENV, **env}

    def __enter__(self) -> "Server":
        from mpp_portal.management.commands.serve import gunicorn_command

        command = [*gunicorn_command("127.0.0.1", self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/livez", timeout=2)
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def report(name: str, result: dict) -> None:
    print(
        f"{name:<34} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms  "
        f"p99 {result['p99_ms']:7.1f} ms  statuses {result['statuses']}  socket errors {result['errors']}",
        flush=True,
    )


def warm_up(data: dict, base: str = BASE) -> None:
    """Every worker process connects, imports and fills its caches before a run is
    measured: reads (the slot lists load each service's schedule), then bookings on a
    service of their own."""
    wrk("get", [data["warm_url"]], base, seconds=1)
    wrk("get", data["slot_urls"], base, seconds=2)
    wrk("booking", data["warm_targets"], base, seconds=2)


@contextmanager
def on_and_off(data: dict) -> Iterator[tuple["Server", "Server"]]:
    """Two servers side by side, warmed up: one writing each booking's outbox row and
    one not (``NOTIFICATIONS=0``)."""
    with Server() as on, Server(port=PORT + 1, NOTIFICATIONS="0") as off:
        warm_up(data, on.base)
        warm_up(data, off.base)
        yield on, off


def booking_turns(data: dict, servers: dict[str, "Server"], *, pair: int) -> dict[str, dict]:
    """Bookings spread over ``data``'s slots, on each of ``servers`` (side by side,
    warmed up) taking turns (``taking_turns``), with the CPU that the server and the
    database spent in each run."""
    from bench.cpu_time import Spent

    def run(server: Server, seconds: int) -> dict:
        spent = Spent(server.process.pid)
        spent.start()
        result = wrk("booking", data["spread_targets"], server.base, seconds)
        return result | spent.stop()

    return taking_turns(
        {name: lambda seconds, server=server: run(server, seconds) for name, server in servers.items()},
        pair=pair,
    )


def cpu_per_request(runs: list[dict]) -> dict[str, list[float]]:
    """Each run's CPU per request, in µs, of the server and of the database."""
    return {key.removesuffix("_cpu_ms"): [1000 * run[key] / run["requests"] for run in runs] for key in CPU_KEYS}


def pair_ratios(runs: list[dict], beside: list[dict]) -> list[float]:
    """The throughput of each run against the run of its pair."""
    return [run["rps"] / other["rps"] for run, other in zip(runs, beside, strict=True)]


def bench_ratio(floor_targets: list[str], booking_targets: str, name: str) -> tuple[list[dict], list[dict], int]:
    """The floor and the booking taking turns (``taking_turns``), ``RATIO_PAIRS`` pairs,
    which of the two goes first alternating, each pair from empty slots and a fresh
    server. Returns the floor runs, the booking runs and the seats overbooked."""
    from bench import scenarios

    floors, bookings, overbooked = [], [], 0
    for pair in range(RATIO_PAIRS):
        data = scenarios.prepare()
        with Server() as server:
            warm_up(data, server.base)
            runs = {
                "floor": lambda seconds: wrk("floor", floor_targets, server.base, seconds),
                "booking": lambda seconds, data=data: wrk("booking", data[booking_targets], server.base, seconds),
            }
            pair_runs = taking_turns(runs, pair=pair)
        floors.append(pair_runs["floor"])
        bookings.append(pair_runs["booking"])
        report(f"floor: {name}", floors[-1])
        report(f"booking, {name}", bookings[-1])
        overbooked += scenarios.overbooked_seats()
    return floors, bookings, overbooked


def bench_bookings(results: dict) -> None:
    from bench import scenarios

    # Real against minimal. The machine's pace drifts by more than a run's noise over
    # a few minutes (see the notification pairs below): each ratio is the median of
    # pairs of adjacent runs.
    floors, bookings, overbooked = bench_ratio([str(n) for n in range(1, 10001)], "spread_targets", "spread")
    results["floor_spread_runs"], results["booking_spread_runs"] = floors, bookings
    results["ratio_spread_pairs"] = pair_ratios(bookings, floors)
    floors, bookings, more = bench_ratio(["1"], "one_slot_targets", "all on one slot")
    overbooked += more
    results["floor_one_runs"], results["booking_one_slot_runs"] = floors, bookings
    results["ratio_one_slot_pairs"] = pair_ratios(bookings, floors)
    data = scenarios.prepare()
    with Server():
        warm_up(data)
        results["service_page"] = wrk("get", data["service_pages"], BASE)
        report("service page (GET)", results["service_page"])
        results["slot_list"] = wrk("get", data["slot_urls"], BASE)
        report("slot list (GET)", results["slot_list"])
    # Notifications on against off: two servers side by side, one with them and one
    # without, the load taking turns between them (``taking_turns``); each pair gives
    # one ratio, which of the two goes first alternating, and the figure is the
    # median of the pairs' ratios. Each pair starts from empty slots: a run that
    # found them filling would answer more cheap 409s than the one beside it.
    runs: dict[str, list[dict]] = {"on": [], "off": []}
    for pair in range(NOTIFICATION_PAIRS):
        data = scenarios.prepare()
        with on_and_off(data) as (on, off):
            pair_runs = booking_turns(data, {"on": on, "off": off}, pair=pair)
        for mode in ("on", "off"):
            runs[mode].append(pair_runs[mode])
            report(f"booking, spread, notifications {mode}", pair_runs[mode])
        overbooked += scenarios.overbooked_seats()
    results["overbooked_seats"] = overbooked
    results["booking_spread_notifications_runs"] = runs
    results["ratio_spread"] = statistics.median(results["ratio_spread_pairs"])
    results["ratio_one_slot"] = statistics.median(results["ratio_one_slot_pairs"])
    ratios = pair_ratios(runs["on"], runs["off"])
    results["booking_spread_notifications_pair_ratios"] = ratios
    results["notifications_cost"] = 1 - statistics.median(ratios)
    results["notifications_cost_of_totals"] = 1 - sum(r["rps"] for r in runs["on"]) / sum(r["rps"] for r in runs["off"])
    # The same pairs read by the CPU each booking took: less noisy than throughput, and
    # it says where the cost lies.
    cpu = {mode: cpu_per_request(runs[mode]) for mode in ("on", "off")}
    results["notifications_cpu_us_per_booking"] = cpu
    added = {
        part: statistics.median(on - off for on, off in zip(cpu["on"][part], cpu["off"][part], strict=True))
        for part in cpu["on"]
    }
    results["notifications_cpu_us_added"] = added
    print(
        f"ratio real/minimal, median of {RATIO_PAIRS} pairs: spread {results['ratio_spread']:.2f} "
        f"({', '.join(f'{r:.2f}' for r in results['ratio_spread_pairs'])}), one slot {results['ratio_one_slot']:.2f} "
        f"({', '.join(f'{r:.2f}' for r in results['ratio_one_slot_pairs'])})"
    )
    print(f"overbooked seats: {results['overbooked_seats']}")
    print(
        f"booking throughput lost to notifications: {results['notifications_cost']:.1%} "
        f"(median of {len(ratios)} pairs; each pair on/off: {', '.join(f'{r:.2f}' for r in ratios)}); "
        f"all on runs against all off runs: {results['notifications_cost_of_totals']:.1%}"
    )
    print(
        "CPU per booking under load, notifications on against off, median of the pairs' differences: "
        + "; ".join(f"{part} +{added[part]:.0f} µs (on {statistics.median(cpu['on'][part]):.0f} µs)" for part in added)
    )
    bench_notifier_beside(results)
    bench_cpu(results)


def bench_phone_cap(results: dict) -> None:
    """The per-number cap on (3) against off (0): two servers side by side taking turns
    with bookings spread over the slots, each of its own number, so that every booking
    counts its number's day; ``RATIO_PAIRS`` pairs, each from empty slots. The CPU per
    booking is read beside the throughput: it holds still when the machine is busy."""
    from bench import scenarios

    runs: dict[str, list[dict]] = {"on": [], "off": []}
    for pair in range(RATIO_PAIRS):
        data = scenarios.prepare()
        with (
            Server(BOOKINGS_PER_PHONE_PER_DAY="3") as on,
            Server(port=PORT + 1, BOOKINGS_PER_PHONE_PER_DAY="0") as off,
        ):
            warm_up(data, on.base)
            warm_up(data, off.base)
            pair_runs = booking_turns(data, {"on": on, "off": off}, pair=pair)
        for mode in ("on", "off"):
            runs[mode].append(pair_runs[mode])
            report(f"booking, spread, phone cap {mode}", pair_runs[mode])
    ratios = pair_ratios(runs["on"], runs["off"])
    cpu = {mode: cpu_per_request(runs[mode]) for mode in ("on", "off")}
    added = {
        part: statistics.median(on - off for on, off in zip(cpu["on"][part], cpu["off"][part], strict=True))
        for part in cpu["on"]
    }
    results["phone_cap_runs"], results["phone_cap_pair_ratios"] = runs, ratios
    results["phone_cap_cpu_us_added"] = added
    print(
        f"booking throughput, phone cap on / off: {statistics.median(ratios):.3f} "
        f"(median of {len(ratios)} pairs: {', '.join(f'{r:.3f}' for r in ratios)})"
    )
    print(
        "CPU per booking, cap on against off, median of the pairs' differences: "
        + "; ".join(f"{part} {added[part]:+.0f} µs (on {statistics.median(cpu['on'][part]):.0f} µs)" for part in added)
    )


def bench_notifier_beside(results: dict) -> None:
    """Notifications on with the notifier running while the bookings come, on the same
    cores (and an instant gateway, also here), against off: two servers side by side,
    one writing the outbox rows with a notifier sending them and one not, the load
    taking turns between them as in the pairs above. The notifier runs through the
    off turns too; what it spends in the whole pair is reported beside the figure."""
    from bench import scenarios
    from bench.notification_bench import SendingNotifier

    runs: dict[str, list[dict]] = {"sending": [], "off": []}
    for pair in range(NOTIFIER_PAIRS):
        data = scenarios.prepare()
        with SendingNotifier(ENV, ROOT) as notifier, on_and_off(data) as (on, off):
            # The warm-up's own messages are sent before the runs: what the notifier
            # does during them is for their bookings.
            notifier.drained()
            before, spent, started = notifier.delivered(), notifier.cpu_seconds(), time.monotonic()
            pair_runs = booking_turns(data, {"sending": on, "off": off}, pair=pair)
            sending = pair_runs["sending"]
            sending["messages_sent_during_run"] = notifier.delivered() - before
            sending["notifier_cpu_share"] = (notifier.cpu_seconds() - spent) / (time.monotonic() - started)
            sending["seconds_to_send_the_rest"] = notifier.drained()
        for mode in ("sending", "off"):
            runs[mode].append(pair_runs[mode])
            report(f"booking, spread, notifications {mode}", pair_runs[mode])
    ratios = pair_ratios(runs["sending"], runs["off"])
    results["booking_spread_notifier_sending_runs"] = runs
    results["notifier_sending_cost"] = 1 - statistics.median(ratios)
    print(
        f"booking throughput lost with the notifier sending beside it: {results['notifier_sending_cost']:.1%} "
        f"(median of {len(ratios)} pairs: {', '.join(f'{r:.2f}' for r in ratios)}); messages sent during each pair: "
        f"{', '.join(str(r['messages_sent_during_run']) for r in runs['sending'])}; "
        f"the notifier's CPU during each pair, share of one core: "
        f"{', '.join(format(r['notifier_cpu_share'], '.1%') for r in runs['sending'])}; "
        f"seconds after each pair until every message was sent: "
        f"{', '.join(format(r['seconds_to_send_the_rest'], '.1f') for r in runs['sending'])}"
    )


def bench_cpu(results: dict) -> None:
    """The same comparisons as CPU per request, in one process (``bench.cpu``)."""
    from bench import cpu, scenarios

    results["cpu"] = figures = cpu.run(scenarios.prepare())
    for name in ("floor", "booking", "notifications_on", "notifications_off"):
        print(
            f"CPU per request, {name:<18} Django {figures[name]['django_ms']:.3f} ms  "
            f"PostgreSQL {figures[name]['postgresql_ms']:.3f} ms"
        )
    print(
        f"CPU ratio floor/booking {figures['ratio']:.2f}; CPU a booking spends on its notification "
        f"{figures['notifications_cost']:.1%}  (answers {figures['statuses']})"
    )


def bench_queue(results: dict) -> None:
    from bench import queue_floor

    history = queue_floor.seed_year_of_history()
    data = queue_floor.prepare_officers()
    print(f"queue floor: {queue_floor.OFFICERS} officers, {history} tickets of history", flush=True)
    with Server():
        for name, think, seconds in (("officers_serving", 10.0, 30), ("officers_saturating", 0.0, SECONDS)):
            results[name] = queue_floor.run_officers(PORT, data, seconds=seconds, think=think)
            r = results[name]
            print(
                f"{queue_floor.OFFICERS} officers, {think:>4.0f} s serving each    {r['rps']:8.1f} req/s  "
                f"p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
                f"errors {r['errors']} {r['error_kinds']}",
                flush=True,
            )
            print(
                f"  call → display board   p50 {r['board_p50_ms']:7.1f} ms  p95 {r['board_p95_ms']:7.1f} ms"
                f"  ({r['board_received']} of {r['calls']} calls seen)",
                flush=True,
            )
            print(
                f"  after each officer's first visit  p95 {r['after_first_visit_p95_ms']:7.1f} ms"
                f"  call → display board p95 {r['after_first_visit_board_p95_ms']:7.1f} ms"
                f"  ({r['after_first_visit_requests']} requests)",
                flush=True,
            )
        results["call_next_history"] = queue_floor.call_next_with_history(PORT, data)
        h = results["call_next_history"]
        print(f"call next, one officer, year of history p50 {h['p50_ms']:7.1f} ms  p95 {h['p95_ms']:7.1f} ms")


def bench_notifications(results: dict) -> None:
    from bench import notification_bench

    results["notifications"] = notification_bench.run(ENV, ROOT)
    n = results["notifications"]
    print(
        f"commit → gateway                       p50 {n['latency_p50_ms']:7.1f} ms  p95 {n['latency_p95_ms']:7.1f} ms"
        f"  ({n['latency_messages']} messages)"
    )
    print(f"one worker process, instant gateway    {n['messages_per_second_one_worker']:8.1f} messages/s")


def bench_office(results: dict) -> None:
    """The office's reports over a year of history (``bench.office``)."""
    from bench import office

    with Server():
        results["office"] = office.run(PORT)


def main() -> None:
    sections = sys.argv[1:] or ["bookings", "queue", "notifications", "office"]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: make bench installs it with apt-get (Debian package wrk)")
    create_database()
    django_setup()
    from django.core.management import call_command

    from bench import scenarios
    from bench.floor import setup_floor_tables

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_floor_tables()
    scenarios.prepare()
    results: dict = {"machine": scenarios.machine(), "connections": CONNECTIONS, "seconds": SECONDS}
    print(f"machine: {results['machine']}; {CONNECTIONS} connections, {SECONDS} s per run", flush=True)
    if "bookings" in sections:
        bench_bookings(results)
    if "queue" in sections:
        bench_queue(results)
    if "notifications" in sections:
        bench_notifications(results)
    if "phone-cap" in sections:
        bench_phone_cap(results)
    if "office" in sections:
        bench_office(results)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"bench-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
