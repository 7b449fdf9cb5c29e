"""Finished batches on disk, so a re-run resumes where a failed or killed run stopped.

Each batch's rows are written once, atomically, to `DIR/.commlint-parts/<run key>/part-N.json.gz`
as soon as they come back. The run key hashes everything that decides the rows (the linter's
fingerprint, the export files' paths, sizes and modification times, the column options, the batch
size, whether text is included and the pseudonym salt's hash), so parts of a different run are never
reused. The outputs are assembled from the parts in order; the parts are removed when the report is
complete.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

PARTS = ".commlint-parts"


def run_key(fingerprint: str, paths: tuple[str, ...], settings_of_run: dict[str, Any]) -> str:
    files = []
    for name in paths:
        path = Path(name)
        try:
            stat = path.stat()
            files.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
        except OSError:
            files.append([str(path), None, None])
    blob = json.dumps([fingerprint, files, settings_of_run], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


class Parts:
    def __init__(self, out: Path, key: str) -> None:
        self.root = out / PARTS
        self.folder = self.root / key
        if self.root.is_dir():  # parts of other runs can never be reused
            for other in self.root.iterdir():
                if other.name != key:
                    shutil.rmtree(other, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, index: int) -> Path:
        return self.folder / f"part-{index:06d}.json.gz"

    def has(self, index: int) -> bool:
        return self.path(index).is_file()

    def write(self, index: int, rows: dict[str, Any]) -> None:
        target = self.path(index)
        temporary = target.with_suffix(".tmp")
        with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=3) as handle:
            json.dump(rows, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, target)

    def read(self, index: int) -> dict[str, Any]:
        with gzip.open(self.path(index), "rt", encoding="utf-8") as handle:
            return json.load(handle)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        try:
            self.root.rmdir()
        except OSError:
            pass
