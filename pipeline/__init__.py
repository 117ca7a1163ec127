"""The one pipeline: load → read → classify → extract as named passes (`passes`), its entry points for
bytes and paths (`analyse`), and readings cached in the object store (`readings`). The flows wrap it."""
