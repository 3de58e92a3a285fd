"""Shared paths to the real corpus beside the checkout (`../shared/corpus`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("UNRES_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
GA = CORPUS / "ga"
SC = CORPUS / "sc"
SEED = CORPUS / "seed" / "A_RES_58_220.txt"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus; its absence is a broken checkout, so it fails rather than skips."""
    assert GA.is_dir() and SC.is_dir() and SEED.is_file(), f"shared corpus not found at {CORPUS}"
    return CORPUS
