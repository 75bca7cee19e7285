"""Benchmarks and benchmark-data generators (run as scripts or with `python -m bench.<name>`)."""
