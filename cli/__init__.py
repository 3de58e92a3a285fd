"""The `unres` command line: a thin typer layer over `unres.index`, `unres.search` and `unres.evaluation`."""
