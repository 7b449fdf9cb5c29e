"""`python -m evaluation` (what `make eval` runs): precision, recall and F1 per
category on the dev set and the held-out set, then on the public sets in ../shared/corpora with a baseline each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commlint.errors import CommlintError
from commlint.runner import default_jobs
from .report import run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__)
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--dev", type=Path, default=root / "corpora" / "dev", help="the labelled dev corpus")
    parser.add_argument("--heldout", type=Path, default=root / "corpora" / "heldout",
                        help="the held-out labelled set (written independently of the rules)")
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "corpora", help="the public sets")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items of each public set")
    parser.add_argument("--errors", type=int, default=0, help="also print up to N mistakes per category")
    parser.add_argument("--jobs", type=int, default=None,
                        help="worker processes for the dev and held-out sets (default: as `commlint check`, one per core)")
    args = parser.parse_args(argv)
    try:
        run_all(args.dev, args.shared, root / "corpora" / "baselines" / "keywords.yaml", limit=args.limit,
                errors=args.errors, out=sys.stdout, heldout_root=args.heldout,
                jobs=args.jobs if args.jobs is not None else default_jobs())
    except CommlintError as exc:  # a broken pack or label file: one line, as the CLI does
        print(f"commlint: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
