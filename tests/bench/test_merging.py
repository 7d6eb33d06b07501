"""The benchmark's arithmetic: runs taken in turns, merged into one figure each."""

from bench import __main__ as bench


def run(rps: float, latencies: dict[int, int], statuses: dict[str, int]) -> dict:
    requests = sum(latencies.values())
    return {
        "requests": requests,
        "seconds": requests / rps,
        "rps": rps,
        "errors": 0,
        "statuses": statuses,
        "latency_us": sorted(latencies.items()),
    }


def test_merged_runs_add_their_counts_and_take_percentiles_over_all_latencies():
    fast = run(100.0, {1000: 98, 2000: 2}, {"201": 100})
    slow = run(50.0, {1000: 40, 9000: 10}, {"201": 45, "409": 5})
    both = bench.merged([fast, slow])
    assert both["requests"] == 150
    assert both["seconds"] == 2.0
    assert both["rps"] == 75.0
    assert both["statuses"] == {"201": 145, "409": 5}
    # 138 latencies of 1 ms, 2 of 2 ms, 10 of 9 ms: the 95th percentile (rank 143)
    # and the 99th (rank 149) fall among the slow run's.
    assert (both["p50_ms"], both["p95_ms"], both["p99_ms"]) == (1.0, 9.0, 9.0)
    assert bench.merged([fast])["p99_ms"] == 2.0


def test_turns_alternate_so_each_side_goes_first_as_often(monkeypatch):
    monkeypatch.setattr(bench, "SEGMENTS", 4)
    monkeypatch.setattr(bench, "SECONDS", 8)
    order = []

    def runner(name):
        def measure(seconds):
            order.append((name, seconds))
            return run(10.0, {1000: 10}, {"201": 10})

        return measure

    result = bench.taking_turns({"a": runner("a"), "b": runner("b")})
    assert [name for name, _s in order] == ["a", "b", "b", "a", "a", "b", "b", "a"]
    assert {seconds for _n, seconds in order} == {2}
    assert result["a"]["requests"] == result["b"]["requests"] == 40
    order.clear()
    bench.taking_turns({"a": runner("a"), "b": runner("b")}, pair=1)
    assert [name for name, _s in order] == ["b", "a", "a", "b", "b", "a", "a", "b"]
