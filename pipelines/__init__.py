"""legday pipelines: settings, database, ingestion, metrics refresh, CLI."""
