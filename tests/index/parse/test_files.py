"""`parse_paths`: a process pool that yields outcomes in input order, skips unchanged content, and
gives the same resolutions as parsing in-process."""

from __future__ import annotations

import hashlib

from tests.bad_files import make_bad_files
from tests.conftest import GA, SC, SEED
from unres.index import parse_paths


def test_pool_keeps_input_order_and_errors(tmp_path, corpus):
    bad = make_bad_files(tmp_path)
    paths = [GA / "A_RES_78_1.pdf", bad["truncated"], SEED, SC / "S_RES_0800_1993_EN_GOLD.txt", bad["latin1"]]
    pooled = list(parse_paths(paths, workers=2))
    assert [p.path for p in pooled] == paths
    assert [p.error is None for p in pooled] == [True, False, True, True, False]
    assert "damaged or truncated PDF" in str(pooled[1].error) and str(pooled[1].error).startswith(str(bad["truncated"]))
    single = list(parse_paths(paths, workers=1))
    assert [p.resolution for p in pooled] == [p.resolution for p in single]
    assert pooled[2].sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_skip_by_content_hash(corpus):
    seed_sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    outcomes = list(parse_paths([SEED, SC / "S_RES_0800_1993_EN_GOLD.txt"], workers=2, skip=lambda sha: sha == seed_sha))
    assert outcomes[0].skipped and outcomes[0].resolution is None and outcomes[0].sha256 == seed_sha
    assert not outcomes[1].skipped and outcomes[1].resolution.symbol == "S/RES/800(1993)"


def test_the_default_needs_no_main_guard(tmp_path):
    """Applications call the library from plain scripts: parsing in-process by default asks nothing of them."""
    import subprocess
    import sys

    script = tmp_path / "app.py"
    script.write_text(f"from unres.index import parse_paths\nprint([p.resolution.symbol for p in parse_paths([{str(SEED)!r}])])\n")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['A/RES/58/220']"
