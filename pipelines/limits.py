"""Facts the CLI's options show in `legday --help`, in a module with no imports, so
that printing help loads neither DuckDB nor pandas (docs/benchmarks.md, start-up)."""

# The sizes `legday demo` builds (pipelines/demo.py).
DEMO_MIN_DAYS, DEMO_MAX_DAYS = 28, 3650
DEMO_MAX_CLIENTS = 100_000
