"""`commlint check --fix` / `--diff`: the one-click rewordings, applied to the files.

Only a finding with one direct replacement is applied (the rule knows the words to use, as "Use
this wording" on the page and the editor's quick fix): never advice-only findings, never a choice
between wordings. Findings point into the file as read (source offsets), and only into the
writer's own prose: quoted history, code and markup are never findings, so never edited. Before
each edit the words at the finding's place must still be the finding's words; overlapping edits
keep the first and count the rest as left. Files are rewritten atomically (a temporary file in
the same folder, renamed over it) with their permissions, encoding (UTF-8, with its BOM if it had
one) and line endings kept.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .models import FileReport, Finding


def direct_replacement(finding: Finding) -> str | None:
    """The words to put in place of the finding's, when the rule gives exactly one rewording."""
    if finding.replacement is None or not finding.text or finding.replacement == finding.text:
        return None
    if finding.location.end <= finding.location.start:
        return None
    replacement = finding.replacement
    if finding.text[:1].isupper() and replacement[:1].islower():
        replacement = replacement[:1].upper() + replacement[1:]  # 'Flush the DNS cache:' opens a sentence
    return replacement


@dataclass(frozen=True)
class FilePlan:
    path: str
    before: str
    after: str
    applied: int
    overlapping: int  # fixable findings left because an earlier edit covers their words
    stale: int  # fixable findings whose words are no longer there (the file changed since)


def plan(report: FileReport, text: str) -> FilePlan:
    """The edits for one file's findings, applied to `text` (the file as it is now)."""
    edits = sorted(((f.location.start, f.location.end, r) for f in report.findings
                    if (r := direct_replacement(f)) is not None), key=lambda e: (e[0], e[1]))
    words = {(f.location.start, f.location.end): f.text for f in report.findings}
    pieces: list[str] = []
    cursor = applied = overlapping = stale = 0
    for start, end, replacement in edits:
        if start < cursor:
            overlapping += 1
            continue
        if text[start:end] != words[(start, end)]:
            stale += 1
            continue
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
        applied += 1
    pieces.append(text[cursor:])
    return FilePlan(report.path, text, "".join(pieces), applied, overlapping, stale)


def read_for_fix(path: Path) -> tuple[str, bytes]:
    """The file's text and the BOM to write back. Raises ValueError for what --fix will not write."""
    data = path.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    if not bom and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ValueError("is UTF-16 or UTF-32: --fix writes UTF-8 files only")
    return data[len(bom):].decode("utf-8"), bom


def write_atomically(path: Path, text: str, bom: bytes = b"") -> None:
    """Replace the file in one step, keeping its permissions."""
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".commlint-fix", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(bom + text.encode("utf-8"))
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unified_diff(plans: Iterable[FilePlan]) -> str:
    out = []
    for p in plans:
        if p.before == p.after:
            continue
        out.extend(difflib.unified_diff(p.before.splitlines(keepends=True), p.after.splitlines(keepends=True),
                                        fromfile=f"a/{p.path}", tofile=f"b/{p.path}"))
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)
