"""The locked install set: `requirements.lock` pins every package `make install` puts in .venv, with
the sha256 of the file it installs, so a fresh install gets exactly the files this lock was made from.

    .venv/bin/python tools/lock.py write     # `make lock`: rewrite requirements.lock from .venv
    .venv/bin/python tools/lock.py install   # what `make install` runs

`pyproject.toml` keeps its lower-bound ranges for people who install commlint as a library; only
the repository's own .venv is locked. Wheels are platform files, so the lock records the platform it
was made on (Python version, OS, machine). On another platform `install` says so and installs from
the ranges instead; run `make lock` there to lock that platform. If the lock no longer covers what
pyproject.toml asks for (`pip check` fails after the locked install), `install` says so, fills the gap
from the ranges, and asks for `make lock`.
"""

from __future__ import annotations

import hashlib
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
EXTRAS = f"{ROOT}[dev]"


def platform_tag() -> str:
    return f"cp{sys.version_info.major}{sys.version_info.minor}-{sys.platform}-{platform.machine()}"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip(*args: str, check: bool = True) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
                          check=check, text=True, capture_output=False)


def write() -> int:
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable", "--disable-pip-version-check"],
                            check=True, text=True, capture_output=True).stdout.split()
    pins = sorted((line for line in frozen if "==" in line and _norm(line.split("==")[0]) != "commlint"), key=str.lower)
    with tempfile.TemporaryDirectory(prefix="commlint-lock-") as tmp:
        reqs = Path(tmp) / "pins.txt"
        reqs.write_text("\n".join(pins) + "\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
                        "-r", str(reqs), "-d", str(Path(tmp) / "files")], check=True)
        files: dict[str, list[str]] = {}
        for path in sorted((Path(tmp) / "files").iterdir()):
            name = path.name.split("-")[0] if path.suffix == ".whl" else path.name.rsplit("-", 1)[0]
            files.setdefault(_norm(name), []).append(hashlib.sha256(path.read_bytes()).hexdigest())
    lines = ["# commlint's locked install set for this repository's .venv (tools/lock.py; `make lock` rewrites it).",
             "# Every package `make install` installs, pinned, with the sha256 of the file installed.",
             f"# platform: {platform_tag()}"]
    missing = []
    for pin in pins:
        name, version = pin.split("==", 1)
        hashes = files.get(_norm(name))
        if not hashes:
            missing.append(pin)
            continue
        lines.append(f"{name}=={version} \\")
        lines += [f"    --hash=sha256:{h}" + (" \\" if i + 1 < len(hashes) else "") for i, h in enumerate(hashes)]
    if missing:
        print(f"lock: no file downloaded for {', '.join(missing)}", file=sys.stderr)
        return 2
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"lock: {len(pins)} packages pinned with their hashes in {LOCK.name} ({platform_tag()})")
    return 0


def install() -> int:
    tag = None
    if LOCK.is_file():
        for line in LOCK.read_text(encoding="utf-8").splitlines()[:5]:
            if line.startswith("# platform:"):
                tag = line.split(":", 1)[1].strip()
    if tag == platform_tag():
        pip("install", "--quiet", "--require-hashes", "--no-deps", "-r", str(LOCK))
        pip("install", "--quiet", "--no-deps", "-e", EXTRAS)
        if pip("check", check=False).returncode == 0:
            return 0
        print("install: requirements.lock does not cover everything pyproject.toml asks for; installing the "
              "rest from pyproject.toml's ranges. Run `make lock` to lock them.", file=sys.stderr)
    elif LOCK.is_file():
        print(f"install: requirements.lock was made on {tag}, this is {platform_tag()}: installing from "
              "pyproject.toml's ranges (unhashed). Run `make lock` to lock this platform.", file=sys.stderr)
    pip("install", "--quiet", "-e", EXTRAS)
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("write", "install"):
        sys.exit("usage: python tools/lock.py write|install")
    sys.exit(write() if command == "write" else install())
