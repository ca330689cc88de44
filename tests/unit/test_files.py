"""files.write_new: the one never-overwrite write (new, import, stats --suggest)."""

from __future__ import annotations

import os

import pytest

from atelier_timer.files import NoFolder, write_new


def test_a_new_file_is_written_whole(tmp_path):
    write_new(tmp_path / "a.yaml", lambda: "title: x\n")
    assert (tmp_path / "a.yaml").read_text() == "title: x\n"
    assert sorted(os.listdir(tmp_path)) == ["a.yaml"]  # no temporary file left


def test_nothing_is_written_over_a_file_or_a_link_and_the_text_is_not_made(tmp_path):
    made = []
    (tmp_path / "kept.yaml").write_text("kept\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "nowhere")  # a dangling link: exists() says False
    for name in ("kept.yaml", "link.yaml"):
        with pytest.raises(FileExistsError):
            write_new(tmp_path / name, lambda: made.append(1) or "new\n")
    assert (tmp_path / "kept.yaml").read_text() == "kept\n" and not (tmp_path / "nowhere").exists()
    assert made == []


def test_a_missing_folder_is_said_as_such(tmp_path):
    with pytest.raises(NoFolder):
        write_new(tmp_path / "no" / "a.yaml", lambda: "x")


def test_a_file_that_appears_while_the_text_is_made_is_kept(tmp_path):
    target = tmp_path / "a.yaml"

    def text() -> str:
        target.write_text("first\n")  # another program got there first
        return "second\n"

    with pytest.raises(FileExistsError):
        write_new(target, text)
    assert target.read_text() == "first\n" and sorted(os.listdir(tmp_path)) == ["a.yaml"]
