"""`python -m unres.cli` runs the `unres` command."""

from .app import run

run()
