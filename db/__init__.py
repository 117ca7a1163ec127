"""State people act on: cases, files, documents, fields, versions, users, tokens, review tasks, audit.

Stage level: imports only the core models (`intake`). The object store stays the archive of originals
and JSON snapshots; these tables are the shared, queryable state.
"""
