"""Fuzz the rule-pack and config side: the safe YAML reader, the pack schema and every check
type's option validation and compilation, and the config parser. A broken pack must be a
RulePackError/ConfigError (exit 2 with file:line), never another exception.

Inputs are YAML text; a share is spliced into a valid rule so the fuzzer reaches the checks.

    python fuzz/fuzz_rulepack.py -max_total_time=60 .fuzz-corpus/rulepack fuzz/seeds/rulepack
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["commlint", "yaml"]):
    from commlint.config import Settings, parse_settings
    from commlint.engine import Engine
    from commlint.errors import CommlintError
    from commlint.nlp import load_pipeline
    from commlint.rulepack import load_packs
    from commlint.rulepack.yamlfile import YamlProblem, parse_yaml

CHECKS = ["phrase", "pattern", "dependency", "regex", "requires", "metric", "acronym", "jargon"]
RULE = """\
rules:
  - id: fuzz.rule
    category: fuzz
    check: {check}
    severity: warning
    message: "'{{text}}' found."
    suggestion: "Write something else."
    explanation: "Because."
{options}
    examples:
      fail: ["x"]
      pass: ["y"]
"""
WORK = Path(tempfile.mkdtemp(prefix="commlint-fuzz-pack-"))
PACK = WORK / "pack"
PACK.mkdir()
load_pipeline({"tokens", "tags", "lemmas", "parse", "sentences"})  # loaded once, not per input


def TestOneInput(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 3)
    text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    if mode == 0:  # a config file
        try:
            parse_settings(parse_yaml(text), WORK / ".commlint.yaml")
        except (YamlProblem, CommlintError):
            pass
        return
    if mode >= 2:  # options of one rule: reach each check type's validation
        check = CHECKS[len(text) % len(CHECKS)]
        options = "\n".join("    " + line for line in text.splitlines())
        text = RULE.format(check=check, options=options)
    (PACK / "rules.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        loaded = load_packs([PACK])
        Engine(loaded, Settings(base_dir=WORK))
    except CommlintError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
