"""The HTTP intake service (issue 30): FastAPI routes over the pipeline, the validator and the database."""
