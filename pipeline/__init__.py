"""The one pipeline: load → read → classify → extract, without Prefect or storage; the flows wrap it."""
