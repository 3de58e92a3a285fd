"""`unres check` finds every damage the issue-23 audit made, and `--repair` mends what can be rebuilt.

Each case: a damage done to a copy of a real index, and the problem line `check` must report. Before,
`check` said "healthy" for all of them while search failed or silently ranked differently.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.reliability.conftest import one_error_line, run_cli
from unres.index.check import check_index
from unres.index.errors import IndexWriteError
from unres.search import Searcher


def _random_middle(index):
    path = index / "unres.sqlite"
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2 // 4096 * 4096)
        file.write(os.urandom(4096))


def _swap_two_ids(index):
    path = index / "encoder" / "tokenizer.json"
    tokenizer = json.loads(path.read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    vocab[1000][0], vocab[1001][0] = vocab[1001][0], vocab[1000][0]
    path.write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")


def _other_pooling(index):
    path = index / "encoder" / "encoder.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(spec | {"pooling": "cls"}), encoding="utf-8")


def _truncate(name, keep):
    def damage(index):
        path = index / "encoder" / name
        path.write_bytes(path.read_bytes()[:keep])
    return damage


def _delete(name):
    return lambda index: (index / "encoder" / name).unlink()


ENCODER_DAMAGE = {  # id: (damage, the problem line's ending)
    "model-emptied": (_truncate("model.onnx", 0), "model.onnx: changed since the model was exported"),
    "model-truncated": (_truncate("model.onnx", 100_000), "model.onnx: changed since the model was exported"),
    "model-deleted": (_delete("model.onnx"), "model.onnx: No such file or directory"),
    "weights-truncated": (_truncate("model.onnx.data", 1_000_000), "model.onnx.data: changed since the model was exported"),
    "weights-deleted": (_delete("model.onnx.data"), "model.onnx.data: No such file or directory"),
    "tokenizer-emptied": (_truncate("tokenizer.json", 0), "tokenizer.json: changed since the model was exported"),
    "tokenizer-deleted": (_delete("tokenizer.json"), "tokenizer.json: No such file or directory"),
    "tokenizer-ids-swapped": (_swap_two_ids, "tokenizer.json: changed since the model was exported"),
    "spec-deleted": (_delete("encoder.json"), "encoder.json: No such file or directory"),
    "spec-other-pooling": (_other_pooling, "encoder.json: changed since the model was exported"),
    "table-truncated": (_truncate("embeddings.npy", 4096), "embeddings.npy: changed since the model was exported"),
    "query-vocabulary-truncated": (_truncate("vocab.npy", 4096), "vocab.npy: changed since the model was exported"),
    "query-vocabulary-deleted": (_delete("vocab.npy"), "vocab.npy: No such file or directory"),
}


def test_random_bytes_in_the_database_are_found_and_not_repaired_blindly(index_copy):
    _random_middle(index_copy)
    report = check_index(index_copy)
    assert not report.healthy and "damaged database, SQLite quick_check" in report.problems[0]
    assert "damaged database, SQLite integrity_check" in check_index(index_copy, full=True).problems[0]
    with pytest.raises(IndexWriteError, match="damaged and cannot be repaired; build the index again"):
        check_index(index_copy, repair=True)
    result = run_cli("check", "--index", str(index_copy))
    assert result.returncode == 1 and b"problem: " in result.stderr and b"damaged database" in result.stderr


@pytest.mark.parametrize("case", list(ENCODER_DAMAGE))
def test_encoder_damage_is_found_and_repaired(index_copy, case):
    damage, problem = ENCODER_DAMAGE[case]
    damage(index_copy)
    report = check_index(index_copy)
    assert not report.healthy and any(line.endswith(problem) or problem in line for line in report.problems), report.problems
    repaired = check_index(index_copy, repair=True)
    assert any("exported again" in line for line in repaired.repairs), repaired.repairs
    assert check_index(index_copy).problems == ()
    with Searcher.open(index_copy) as searcher:
        assert searcher.search("a day to celebrate cooperation among southern countries", k=1).hits[0].id == "A/RES/58/220#11"


def test_a_repair_keeps_a_users_file_in_the_model_folder(index_copy):
    """The model re-exported only into a folder holding nothing but its own files: the user's file and the
    damaged model are both left as they were, and the refusal names the file."""
    _truncate("model.onnx", 1000)(index_copy)
    (index_copy / "encoder" / "notes.txt").write_text("mine")
    with pytest.raises(IndexWriteError, match=r"holds files unres did not write \(notes.txt\)"):
        check_index(index_copy, repair=True)
    assert sorted(p.name for p in (index_copy / "encoder").iterdir()) == [
        "embeddings.npy", "encoder.json", "files.json", "model.onnx", "model.onnx.data", "notes.txt", "query-tokenizer.json",
        "tokenizer.json", "vocab.npy"]


def test_check_on_the_command_line_says_what_is_damaged(index_copy):
    _other_pooling(index_copy)
    result = run_cli("check", "--index", str(index_copy))
    assert result.returncode == 1
    assert b"encoder.json: changed since the model was exported" in result.stderr
    assert b"healthy" not in result.stdout and b"1 problem(s)" in result.stdout
    assert "no index here" in one_error_line(run_cli("check", "--index", str(index_copy / "missing")))
