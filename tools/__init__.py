"""Bench and Lighthouse tooling: `make bench`, `make lighthouse`. Installed with DEBUG or BENCH."""
