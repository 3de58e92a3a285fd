"""The `unres` command line: a thin typer layer over `unres.index`, `unres.search` and `unres.evaluation`.

It owns options, terminal rendering (render.py, render_links.py, summary.py, plot.py) and one-line
errors; each command is one call into the library (app.py, link_commands.py, bench.py).
"""
