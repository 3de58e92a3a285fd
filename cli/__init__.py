"""The `unres` command line: a thin layer over the `index` and `search` packages."""
