"""The terminal as a person and a pipe read it: help that names values, not Python types; piped output
one line per paragraph, full length, with no trailing spaces."""

from __future__ import annotations

import re

import typer.main

from tests.reliability.conftest import run_cli
from unres.cli.app import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def test_every_commands_help_names_values_not_python_types():
    for command in COMMANDS:
        result = run_cli(command, "-h")
        assert result.returncode == 0, (command, result.stderr)
        text = result.stdout.decode()
        assert "<bool>" not in text and "<list[" not in text, (command, text)
    assert "pip install 'unres[plot]'" in re.sub(r"[│\s]+", " ", run_cli("trend", "-h").stdout.decode())


def test_piped_hits_are_one_line_each_at_full_length(built_index):
    result = run_cli("search", "economic and technical cooperation among developing countries", "-k", "3",
                     "--index", str(built_index))
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and lines
    assert not [line for line in lines if line != line.rstrip()], "trailing spaces"
    texts = [line for line in lines if re.match(r" {4}\S", line) and " — " not in line]
    assert len(texts) >= 3 and max(map(len, texts)) > 120, "a paragraph is one line, not wrapped at 80 columns"
