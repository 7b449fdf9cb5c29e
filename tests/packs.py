"""Helpers to write small rule packs into a temporary folder for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

RULE_TEMPLATE = """\
rules:
  - id: {id}
    category: {category}
    check: {check}
    severity: warning
    message: "'{{text}}' found."
    suggestion: "Write something else."
    explanation: "Because it matters to the reader."
{options}
    examples:
      fail: ["{fail}"]
      pass: ["{passing}"]
"""


def write_pack(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def rule_yaml(rule_id: str, check: str, options: str, fail: str = "x", passing: str = "y",
              category: str | None = None) -> str:
    opts = textwrap.indent(textwrap.dedent(options).strip("\n"), "    ")
    return RULE_TEMPLATE.format(id=rule_id, category=category or rule_id.split(".")[0], check=check,
                                options=opts, fail=fail, passing=passing)
