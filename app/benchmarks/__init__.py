"""Benchmark helpers run by scripts/benchmark.sh; never imported by the service."""
