"""An index never deletes or replaces a file it did not write, and creating one is a write like any other.

Cases from the issue-23 audit: a folder holding only `encoder/my-thesis.txt` became an index and the
file was gone; a user folder named like a generation (`lexical.7.old/`) was deleted by the next write;
two runs creating one index at once lost a document; a write started from another write's progress
callback waited for itself forever.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from tests.conftest import GA, SC, SEED
from tests.reliability.conftest import ROUNDS
from unres.index import Indexer
from unres.index.errors import ConfigError, IndexWriteError
from unres.search import Searcher

NOT_OURS = [  # (files a user keeps in the directory, what the refusal names)
    ({"encoder/my-thesis.txt": "chapter 1"}, "encoder/my-thesis.txt"),
    ({"lexical.7.old/readme.txt": "notes"}, "lexical.7.old/readme.txt"),
    ({"vectors.1.faiss": "not ours either"}, "vectors.1.faiss"),
    ({".hidden": "x", "a.txt": "y", "b.txt": "z", "c.txt": "w"}, ".hidden, a.txt, b.txt and 1 more"),
]


@pytest.mark.parametrize(("files", "named"), NOT_OURS, ids=["encoder-folder", "generation-like-folder", "index-like-file", "many"])
def test_a_folder_that_is_not_an_index_is_refused_and_kept(tmp_path, files, named):
    folder = tmp_path / "mine"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    with pytest.raises(ConfigError, match=f"not an unres index and not empty \\(holds {named}\\)"):
        Indexer(folder).add([SEED])
    assert {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()} == files


def test_files_beside_and_inside_an_index_survive_its_writes(index_copy):
    """Named like generations, or put inside the index's own folders (even with the kind of name it writes
    there): a write leaves them alone, and removes only its own files."""
    user = {
        "lexical.7.old/readme.txt": "a user's folder named like a generation",
        "lexical.1/notes.txt": "a user's file inside the current lexical folder",
        "vectors.1.faiss.bak": "a user's backup of the vectors",
        "vectors.x.faiss": "not a generation",
        "lexical.1/mine.json": "a user's JSON beside the BM25 index's params.json",
    }
    for name, text in user.items():
        (index_copy / name).parent.mkdir(parents=True, exist_ok=True)
        (index_copy / name).write_text(text)
    assert Indexer(index_copy).add([GA / "A_RES_78_64.pdf"]).added == 1
    assert {name: (index_copy / name).read_text() for name in user} == user
    Indexer(index_copy).remove(["S/RES/661(1990)", "S/RES/800(1993)", "A/RES/78/220", "A/RES/78/192", "A/RES/78/1"])
    assert {name: (index_copy / name).read_text() for name in user} == user  # over a quarter removed: BM25 built whole again
    assert sorted(p.name for p in (index_copy / "lexical.1").iterdir()) == ["mine.json", "notes.txt"]  # its own went
    with Searcher.open(index_copy) as searcher:
        assert searcher.paragraph("A/RES/58/220#11").id == "A/RES/58/220#11"


def test_a_second_creator_that_will_not_wait_is_told_at_once(tmp_path):
    """Another process holds the creation lock (its marker locked): `wait=False` is one error, not a wait."""
    import fcntl

    from unres.index.ownership import MARKER_FILE

    folder = tmp_path / "new"
    folder.mkdir()
    with (folder / MARKER_FILE).open("w") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)
        with pytest.raises(IndexWriteError, match="another unres process is creating this index"):
            Indexer(folder, wait=False).add([SEED])
    assert [p.name for p in folder.iterdir()] == [MARKER_FILE]


def test_a_file_in_the_way_of_an_export_is_named_not_replaced(tmp_path):
    """An index whose encoder/ is gone re-exports it; a user's file found there is kept and named."""
    from unres.index.encoder import export_encoder

    target = tmp_path / "encoder"
    target.mkdir()
    (target / "my-thesis.txt").write_text("chapter 1")
    with pytest.raises(IndexWriteError, match=r"holds files unres did not write \(my-thesis.txt\)"):
        export_encoder(None, "multilingual-e5-small", target)
    assert (target / "my-thesis.txt").read_text() == "chapter 1"


@pytest.mark.model
@pytest.mark.parametrize("round", range(ROUNDS))
def test_two_runs_creating_one_index_both_land(tmp_path, round):
    """Started together on a new directory: one creates, the other waits, then adds; both documents are in."""
    index = tmp_path / "new"
    runs = [
        subprocess.Popen([sys.executable, "-m", "unres.cli", "index", "--index", str(index), str(path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for path in (SEED, SC / "S_RES_0800_1993_EN_GOLD.txt")
    ]
    outcomes = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    with Searcher.open(index) as searcher:
        assert sum(searcher.stats().resolutions.values()) == 2
    assert not [p.name for p in index.iterdir() if ".tmp" in p.name]


def test_a_write_started_inside_another_write_is_an_error_not_a_hang(index_copy):
    """From the progress callback of a write, a second write of the same index would wait for its own lock."""
    seen: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "write" and not seen:
            try:
                Indexer(index_copy).add([SEED])
            except IndexWriteError as error:
                seen.append(str(error))

    run = threading.Thread(target=lambda: Indexer(index_copy, progress=progress).add([GA / "A_RES_78_64.pdf"]), daemon=True)
    run.start()
    run.join(timeout=120)
    assert not run.is_alive(), "the nested write waited for itself"
    assert seen and "already writing this index" in seen[0]
    with Searcher.open(index_copy) as searcher:
        assert searcher.resolution("A/RES/78/64").symbol == "A/RES/78/64"
