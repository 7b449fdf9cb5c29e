"""Reading input files: decoding, size limits, walking folders. Errors name the path."""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import InputError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# Extensions picked up when walking a folder (explicit file arguments are always read).
WALK_EXTENSIONS = (".md", ".markdown", ".html", ".htm", ".txt")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: str) -> str:
    """Bytes → text: a BOM decides the encoding, otherwise strict UTF-8. NUL bytes mean binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid {encoding} text (bad bytes at byte offset {exc.start + len(bom)})") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file (contains NUL bytes); commlint reads text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise InputError(
            path,
            f"not UTF-8 text (byte 0x{byte:02X} at byte offset {exc.start}); "
            "save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`",
        ) from None


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, f"file is {size} bytes, over the limit of {max_bytes} (raise it with --max-bytes)")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(name, "is a folder") from None
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(name, "broken symbolic link (its target does not exist)") from None
        raise InputError(name, "no such file or folder") from None
    except PermissionError:
        raise InputError(name, "permission denied (cannot read the file)") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(name, f"file is over the limit of {max_bytes} bytes (raise it with --max-bytes)")
    return decode(data, name)


@dataclass(frozen=True)
class Target:
    """A file to check, or a path that could not be expanded (error set)."""

    path: Path
    display: str
    error: str | None = None
    # Left out on purpose, with the reason (a link out of the walked folder): a warning, not an error.
    skipped: str | None = None


# skip(path, is_dir, walk_root) -> True to leave a walked file or folder out (.gitignore, exclude:).
SkipFn = Callable[[Path, bool, Path], bool]


def expand_paths(paths: list[str], extensions: tuple[str, ...] = WALK_EXTENSIONS,
                 skip: SkipFn | None = None) -> Iterator[Target]:
    """Explicit files as given; folders walked (sorted, hidden folders skipped) for known
    extensions, leaving out what `skip` says (only walked paths: a named file is always read)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, extensions, skip)
        elif path.exists() or path.is_symlink():
            yield Target(path, raw)
        else:
            yield Target(path, raw, "no such file or folder")


def _walk(root: Path, extensions: tuple[str, ...], skip: SkipFn | None = None) -> Iterator[Target]:
    """Files under `root`. Links are never followed out of it: a pull request can add
    `docs/x.txt -> ~/.something`, and its words would be quoted in findings (JSON, SARIF, CI
    annotations). A link to a file inside the folder is read; a link leading out, and a linked
    folder (never descended), are reported as skipped."""
    unlistable: list[OSError] = []
    try:
        inside = root.resolve()
    except OSError:
        inside = root.absolute()
    for folder, dirnames, filenames in os.walk(root, onerror=unlistable.append):
        yield from _unlistable_targets(unlistable)
        here = Path(folder)
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or (skip and skip(here / d, True, root)):
                continue
            if (here / d).is_symlink():
                yield Target(here / d, str(here / d), skipped="a linked folder: not followed")
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            candidate = here / name
            if candidate.suffix.lower() in extensions and not (skip and skip(candidate, False, root)):
                outside = _links_outside(candidate, inside)
                if outside is not None:
                    yield Target(candidate, str(candidate), skipped=outside)
                    continue
                yield Target(candidate, str(candidate), _not_a_regular_file(candidate))
    yield from _unlistable_targets(unlistable)


def _links_outside(path: Path, inside: Path) -> str | None:
    """Why a linked file is not read: it leads out of the walked folder (or nowhere)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None  # a broken or looping link: reported when it is read
    if target == inside or inside in target.parents:
        return None
    return "a link to a file outside the folder being checked: not read"


def _unlistable_targets(errors: list[OSError]) -> Iterator[Target]:
    """A folder that cannot be listed is reported, not silently skipped."""
    while errors:
        exc = errors.pop(0)
        name = str(exc.filename)
        yield Target(Path(name), name, f"cannot list this folder: {exc.strerror or exc}")


def _not_a_regular_file(path: Path) -> str | None:
    """Why a file found while walking a folder cannot be read as text, if it can't: a named pipe
    would block the run forever, a device would never end. Broken links are reported on reading."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device" if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) else "not a file"
    return f"not a regular file ({kind}); skipped"
