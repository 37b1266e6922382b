"""Benchmarks and the synthetic datasets they (and the scaling tests) run on; not needed by the dashboard."""
