"""`python -m cli` runs the `unres` command."""

from cli.app import app

app(prog_name="unres")
