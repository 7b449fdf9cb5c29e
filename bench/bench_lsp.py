"""How soon `commlint lsp` answers an editor, measured over stdio like a real client.

    .venv/bin/python bench/bench_lsp.py [--runs 3]

Per run, a fresh `commlint lsp` process: spawn → `initialize` answered; `didOpen` of a short
Markdown draft → its first diagnostics (the model loads in the background from `initialized`
on, so this is mostly spaCy's load); then `didChange` → new diagnostics (includes the server's
0.35 s typing pause). Beside it, `import spacy; spacy.load(<model>)` in a fresh process, the cost
no server can avoid. Prints a table; exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMLINT = Path(sys.executable).with_name("commlint")


def _send(proc: subprocess.Popen[bytes], message: dict) -> None:  # type: ignore[type-arg]
    body = json.dumps(message).encode()
    assert proc.stdin is not None
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def _read(proc: subprocess.Popen[bytes]) -> dict:  # type: ignore[type-arg]
    assert proc.stdout is not None
    headers = {}
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("the language server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        key, value = line.decode().split(":", 1)
        headers[key.strip().lower()] = value.strip()
    return json.loads(proc.stdout.read(int(headers["content-length"])))


def _diagnostics(proc: subprocess.Popen[bytes], version: int) -> None:
    while True:
        message = _read(proc)
        params = message.get("params") or {}
        if message.get("method") == "textDocument/publishDiagnostics" and params.get("diagnostics") \
                and params.get("version", version) == version:
            return


def one_run(folder: Path) -> tuple[float, float, float]:
    uri = (folder / "draft.md").as_uri()
    started = time.perf_counter()
    proc = subprocess.Popen([str(COMMLINT), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=folder)
    try:
        _send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}})
        while _read(proc).get("id") != 1:
            pass
        _send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        initialized = time.perf_counter()
        _send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": "Just flush the DNS cache and reconnect to the VPN.\n"}}})
        _diagnostics(proc, 1)
        first = time.perf_counter()
        _send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": "Obviously you should restart the print spooler.\n"}]}})
        _diagnostics(proc, 2)
        changed = time.perf_counter()
    finally:
        proc.kill()
        proc.wait()
    return initialized - started, first - started, changed - first


def spacy_load() -> float:
    code = ("import time; t = time.perf_counter(); import spacy; from commlint.nlp.pipeline import MODEL_PREFERENCE\n"
            "import importlib.util\n"
            "name = next(m for m in MODEL_PREFERENCE if importlib.util.find_spec(m))\n"
            "spacy.load(name); print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            rows.append(one_run(Path(tmp)))
    loads = [spacy_load() for _ in range(args.runs)]
    med = [statistics.median(col) for col in zip(*rows)]
    print(f"commlint lsp over stdio, median of {args.runs} fresh servers")
    print(f"  spawn → initialize answered      {med[0]:6.2f} s")
    print(f"  spawn → first diagnostics        {med[1]:6.2f} s   (import spacy + spacy.load alone: {statistics.median(loads):.2f} s)")
    print(f"  didChange → diagnostics          {med[2]:6.2f} s   (includes the 0.35 s typing pause)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
