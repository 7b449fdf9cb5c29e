"""Fuzz the input side: byte decoding (`inputs.decode`), the plain/Markdown/HTML extractors, quote
stripping, and — on a share of the inputs — the whole engine. Anything but a CommlintError from
decoding, or a broken offset anywhere, is a crash.

    python fuzz/fuzz_sources.py -max_total_time=60 .fuzz-corpus/sources fuzz/seeds/sources
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["commlint", "markdown_it", "mdurl", "html"]):
    from commlint import api
    from commlint.config import Settings
    from commlint.errors import InputError
    from commlint.inputs import decode
    from commlint.models import FileReport
    from commlint.reporters.json import file_to_dict
    from commlint.source import FORMATS, extract

from common import check_findings, check_prose

FORMAT_NAMES = sorted(FORMATS)
ENGINE = api.get_engine(Settings(base_dir=Path(__file__).resolve().parent.parent))


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 15)
    if mode == 0:
        try:
            decode(fdp.ConsumeBytes(fdp.remaining_bytes()), "fuzz.txt")
        except InputError:
            pass
        return
    fmt = FORMAT_NAMES[mode % len(FORMAT_NAMES)]
    text = fdp.ConsumeUnicode(fdp.remaining_bytes())
    prose = extract(text, fmt)
    check_prose(text, prose)
    if mode >= 12:  # the full engine (slower): a quarter of the inputs
        kind = "reply" if mode % 2 else "kb"
        report: FileReport = api.lint_text(text, fmt=fmt, kind=kind, engine=ENGINE, settings=ENGINE.settings)
        check_findings(text, file_to_dict(report)["findings"])


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
