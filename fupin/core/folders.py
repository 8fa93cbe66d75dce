"""Reading the files of a folder someone hands over (a catalogue's scans, a photo folder):
only regular files directly inside it, never through a symbolic link, never outside it."""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

SYMLINK = "是符号链接，拒绝读取（只读取所给文件夹内的普通文件）。"
OUTSIDE = "位于所给文件夹之外，拒绝读取。"
NOT_REGULAR = "不是普通文件，拒绝读取。"


def folder_files(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The folder's regular files (hidden ones left out), and (name, reason) for each entry
    refused: symbolic links, devices, pipes. Subfolders are not entered."""
    files, refused = [], []
    root = folder.resolve()
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            refused.append((entry.name, SYMLINK))
        elif entry.is_dir(follow_symlinks=False):
            continue
        elif not entry.is_file(follow_symlinks=False):
            refused.append((entry.name, NOT_REGULAR))
        else:
            files.append(root / entry.name)
    return files, refused


@contextmanager
def open_inside(path: Path, folder: Path) -> Iterator[BinaryIO]:
    """Open a file of the folder for reading, refusing (OSError with a Chinese reason) one
    that is a link or lies outside — also if it was swapped for a link after being listed."""
    root = folder.resolve()
    if path.parent.resolve() != root or path.name in ("", ".", ".."):
        raise OSError(OUTSIDE)
    try:
        fd = os.open(root / path.name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if (root / path.name).is_symlink():
            raise OSError(SYMLINK) from exc
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(NOT_REGULAR)
    with os.fdopen(fd, "rb") as handle:
        yield handle
