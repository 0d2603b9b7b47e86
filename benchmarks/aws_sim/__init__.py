"""A realistic AWS stand-in for benchmarks: moto behind a proxy on 127.0.0.1 that adds
what moto lacks and a real account has, a round-trip latency on every call and a
request-rate limit per (service, operation) answered as AWS answers it.

    .venv/bin/python -m benchmarks.aws_sim serve --latency-ms 40 --rate 10   # seeded estate, until Ctrl-C

`benchmarks/scan_sim_bench.py` and `benchmarks/prowler_compare.py` start it themselves.
"""
