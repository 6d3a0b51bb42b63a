"""The corpus apps' own tests run only through ``measure.py`` (each with its app on the path, twice)."""

collect_ignore_glob = ["*/test_*.py", "*/*/test_*.py"]
