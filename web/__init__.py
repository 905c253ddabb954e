"""The composition root: settings, FastAPI app, REST API, CLI."""
