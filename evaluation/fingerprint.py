"""A fingerprint of every finding on a fixed set of inputs, to prove a refactor changed nothing.

`python -m evaluation.fingerprint OUT.tsv` writes one line per finding (and one per document
score) for: the dev corpus and the held-out set (as files, the way `commlint check` reads
them), every rule example of the default pack (with the default preparation, as `rules test` runs them), and the 500 Microsoft
KB articles in ../shared/corpora (skipped when absent). Diff two outputs to see what moved;
the last line printed is a SHA-256 of the whole file.

Only `commlint.api.lint_paths`, `commlint.api.lint_text` and `commlint.rulepack` are used, so
the same script runs against an older checkout (`PYTHONPATH=OLD_CHECKOUT`).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from commlint import api
from commlint.config import Settings
from commlint.rulepack import load_packs, resolve_pack

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT.parent / "shared" / "corpora" / "ms_officedocs_support_articles" / "articles"


def _lines_for(report, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    out = [f"{label}\tSCORE\t{report.score}\t{report.words}\t{report.error or ''}"]
    for f in report.findings:
        loc = f.location
        out.append("\t".join(str(x) for x in (label, f.rule, f.severity.value, loc.start, loc.end, loc.line, loc.column,
                                             f.text.replace("\n", "\\n"), f.message, f.suggestion, f.replacement)))
    return out


def main(argv: list[str]) -> int:
    out_path = Path(argv[0]) if argv else Path("fingerprint.tsv")
    settings = Settings(base_dir=ROOT)
    lines: list[str] = []
    folders = [ROOT / "corpora" / "dev", ROOT / "corpora" / "heldout"] + ([KB] if KB.is_dir() else [])
    for folder in folders:
        report = api.lint_paths([str(folder)], settings=settings, jobs=2)
        for file_report in report.files:
            lines += _lines_for(file_report, file_report.path.replace(str(ROOT.parent), ""))
    loaded = load_packs([resolve_pack("default", ROOT)])
    for spec in loaded.rules:
        ex = spec.examples
        cases = ([(t, "fail", ex.kind_of(True, i)) for i, t in enumerate(ex.fail)]
                 + [(t, "pass", ex.kind_of(False, i)) for i, t in enumerate(ex.passing)])
        for n, (text, label, kind) in enumerate(cases):
            report = api.lint_text(text, path="example", fmt="plain", kind=kind, settings=settings)
            lines += _lines_for(report, f"{spec.id} {label} {n}")
    data = "\n".join(lines) + "\n"
    out_path.write_text(data, encoding="utf-8")
    print(f"{len(lines)} lines; sha256 {hashlib.sha256(data.encode('utf-8')).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
