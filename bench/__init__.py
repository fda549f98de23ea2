"""Benchmarks of plgkg against peer SPARQL servers (issue 6); run with `make bench` / `make bench-scale`."""
