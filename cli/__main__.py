"""`python -m unres.cli` runs the `unres` command."""

from .app import app

app(prog_name="unres")
