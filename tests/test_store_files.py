"""tracker.store.files.write_whole: the one way the tracker writes a file a reader may open."""

import os
from pathlib import Path

import pytest
from support import run_together

from tracker.store import files


def test_replaces_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "digest.html"
    path.write_bytes(b"old")
    files.write_whole(path, b"new" * 1000)
    assert path.read_bytes() == b"new" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["digest.html"]


def test_failed_write_keeps_previous_file_and_removes_temporary(tmp_path, monkeypatch):
    path = tmp_path / "digest.html"
    path.write_bytes(b"yesterday, complete")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        files.write_whole(path, b"today, never finished")
    assert path.read_bytes() == b"yesterday, complete"
    assert [p.name for p in tmp_path.iterdir()] == ["digest.html"]


def test_writers_of_one_path_do_not_collide(tmp_path):
    """Two digests written to one --out at once shared one `.tmp` name before; the second
    rename then failed with FileNotFoundError."""
    path = tmp_path / "digest.txt"

    def write(i: int) -> None:
        for _ in range(200):
            files.write_whole(path, str(i).encode() * 5000)

    _, errors = run_together(write, 4)
    assert errors == []
    body = path.read_bytes()
    assert body in {str(i).encode() * 5000 for i in range(4)}
    assert os.listdir(tmp_path) == ["digest.txt"]


def test_a_symbolic_link_is_written_through(tmp_path):
    target = tmp_path / "real" / "export.csv"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "export.csv"
    link.symlink_to(target)
    files.write_whole(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.csv"]


def test_a_pipe_is_written_to_not_replaced(tmp_path):
    """`--out /dev/stdout` (or any pipe): renaming a temporary file over it would replace the
    pipe itself — as root, /dev/stdout — and the reader would get nothing."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    files.write_whole(fifo, b"digest body")
    reader.join(timeout=10)
    assert got == [b"digest body"]
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_descriptor_name_is_appended_to_through_the_descriptor(tmp_path):
    """`digest --out /dev/stdout >> log.md`: the log keeps what it had and gets the digest after
    it (renaming over /dev/stdout, or opening it to write, would lose one or the other)."""
    log = tmp_path / "log.md"
    log.write_bytes(b"yesterday\n")
    with open(log, "ab") as shell_redirect:
        files.write_whole(Path(f"/proc/self/fd/{shell_redirect.fileno()}"), b"today\n")
        files.write_whole(Path(f"/dev/fd/{shell_redirect.fileno()}"), b"and more\n")
    assert log.read_bytes() == b"yesterday\ntoday\nand more\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.md"]
