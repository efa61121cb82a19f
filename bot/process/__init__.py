"""The process shell: HTTP server, prompt ack, interpreter tuning, dependencies, cache."""
