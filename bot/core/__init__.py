"""Platform-neutral core: events, messenger port, command parsing, routing and the pipeline."""
