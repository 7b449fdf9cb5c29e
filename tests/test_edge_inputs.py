"""Inputs at the edges: every file is either checked correctly or reported by path with a clear
reason, and every other file in the run is still checked. Long documents are processed in
chunks, with memory that grows with the text held, not with the NLP work.

The 50 MB run is marked `soak` (it runs in `make soak`); `make test` runs a 5 MB version.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from pathlib import Path

import pytest

from commlint import api
from commlint.config import Settings
from commlint.engine import Document, Engine
from commlint.nlp.text import CHUNK_CHARS
from commlint.rulepack import load_packs
from commlint.source import extract

from .measure import run_measured
from .packs import rule_yaml, write_pack
from .test_properties import expected_position

REPLY = "Hi Sam,\r\nJust restart the VPN, then sign in again. Let me know if it works.\r\n"


def run_commlint(args: list[str], cwd: Path, drop_file_privileges: bool = False) -> tuple[int, str, str, int]:
    """The real command; returns exit code, stdout, stderr and its peak RSS in MiB.
    With `drop_file_privileges`, root loses the capabilities that let it read any file, so a
    chmod-000 file really is unreadable (tests run as root here)."""
    prefix: list[str] = []
    if drop_file_privileges and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        caps = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
    return run_measured(args, cwd, prefix)


def assert_exact(source: str, findings: list[dict]) -> None:  # type: ignore[type-arg]
    for f in findings:
        assert source[f["start"]:f["end"]] == f["text"], f
        assert (f["line"], f["column"]) == expected_position(source, f["start"]), f
        assert (f["end_line"], f["end_column"]) == expected_position(source, f["end"]), f


def test_a_folder_of_awkward_files_each_checked_or_reported_by_path(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    checked = {
        "plain.txt": REPLY.encode("utf-8"),
        "bom-utf8.txt": codecs.BOM_UTF8 + REPLY.encode("utf-8"),
        "bom-utf16le.txt": codecs.BOM_UTF16_LE + REPLY.encode("utf-16-le"),
        "bom-utf16be.txt": codecs.BOM_UTF16_BE + REPLY.encode("utf-16-be"),
        "my replies/réponse à Zoë 📧.txt": REPLY.encode("utf-8"),
    }
    for name, data in checked.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "latin1.txt").write_bytes("Caf\xe9 ok, just restart it.".encode("latin-1"))
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (root / "broken-link.txt").symlink_to(root / "gone.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "big.txt").write_text("word " * 50_000, encoding="utf-8")
    (root / "unreadable.txt").write_text(REPLY, encoding="utf-8")
    (root / "unreadable.txt").chmod(0)
    (root / "locked").mkdir()
    (root / "locked" / "inside.txt").write_text(REPLY, encoding="utf-8")
    (root / "locked").chmod(0)
    try:
        code, out, err, _ = run_commlint(["check", "--format", "json", "--max-bytes", "100000", "in"], tmp_path, drop_file_privileges=True)
    finally:
        (root / "locked").chmod(0o755)
    assert code == 2, err
    files = {f["path"]: f for f in json.loads(out)["files"]}
    for name in checked:
        report = files.pop(os.path.join("in", name))
        assert report.get("error") is None, report
        rules = {f["rule"] for f in report["findings"]}
        assert {"condescension.minimizer", "acronym.undefined"} <= rules, (name, rules)
        assert_exact(REPLY, report["findings"])
    reasons = {
        "latin1.txt": "byte offset 3",
        "binary.txt": "binary",
        "broken-link.txt": "broken symbolic link",
        "loop.txt": "cannot read",
        "pipe.txt": "named pipe",
        "big.txt": "over the limit of 100000",
        "unreadable.txt": "permission denied",
        "locked": "cannot list this folder",
    }
    for name, reason in reasons.items():
        report = files.pop(os.path.join("in", name))
        assert reason in (report.get("error") or ""), report
        assert f"in/{name}: " in err and reason in err
    assert not files, f"unexpected reports: {sorted(files)}"
    assert "Traceback" not in err


def counting_pack(folder: Path) -> Path:
    """A pack with one tokens-only rule that flags every 'VPN' (the default pack's rules evolve;
    these tests count findings, so they bring their own)."""
    return write_pack(folder, {"edge.yaml": rule_yaml("edge.vpn", "phrase", 'attr: ORTH\nphrases: ["VPN"]',
                                                      fail="Reconnect the VPN.", passing="Reconnect the network.")})


def test_one_giant_line_is_chunked_and_every_finding_is_exact(tmp_path: Path) -> None:
    engine = Engine(load_packs([counting_pack(tmp_path / "pack")]), Settings(base_dir=tmp_path))
    words = ["word"] * 120_000
    for i in range(0, len(words), 9_973):
        words[i] = "VPN"
    text = " ".join(words)  # ~600,000 characters, no line break: several chunks
    assert len(text) > 5 * CHUNK_CHARS
    report = engine.lint_one(Document("giant.txt", extract(text)))
    assert len(report.findings) == words.count("VPN")
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text == "VPN"
        assert f.location.line == 1 and f.location.column == f.location.start + 1


def test_long_document_with_the_full_pipeline_keeps_offsets_across_chunks(engine: Engine) -> None:
    paragraph = "Hi Sam,\r\nthe mailbox was full. I cleaned it up for you this morning and it works.\r\n\r\n"
    text = paragraph * (CHUNK_CHARS * 3 // 2 // len(paragraph)) + "Just restart the VPN now.\r\n"
    report = api.lint_text(text, settings=engine.settings)
    found = {f.rule: f for f in report.findings}
    assert found["condescension.minimizer"].location.line == text.count("\r\n")
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.text
        assert (f.location.line, f.location.column) == expected_position(text, f.location.start)


def write_large_reply_file(path: Path, size: int) -> int:
    """A `size`-byte file of realistic paragraphs with 'VPN' once every 50 paragraphs; returns how many."""
    plain = "Hi Sam, I checked the mailbox and it was full. Please delete old emails, then restart Outlook.\n\n"
    flagged = plain.replace("restart Outlook", "reconnect to the VPN")
    block = plain * 49 + flagged
    count = size // len(block)
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(count):
            fh.write(block)
        fh.write("x" * (size - count * len(block)))
    return count


def lint_large_file(tmp_path: Path, megabytes: int) -> int:
    path = tmp_path / f"large-{megabytes}mb.txt"
    expected = write_large_reply_file(path, megabytes * 1_000_000)
    counting_pack(tmp_path / "pack")
    (tmp_path / ".commlint.yaml").write_text("packs: [./pack]\n", encoding="utf-8")
    code, out, err, peak_mib = run_commlint(["check", "--no-cache", "--format", "json", path.name], tmp_path)
    assert code == 1, err
    report = json.loads(out)["files"][0]
    assert len(report["findings"]) == expected
    last = report["findings"][-1]
    assert last["text"] == "VPN" and last["line"] == expected * 100 - 1
    path.unlink()
    return peak_mib


def test_5mb_file_is_checked_in_chunks(tmp_path: Path) -> None:
    peak_mib = lint_large_file(tmp_path, 5)
    print(f"5 MB file: peak RSS {peak_mib} MiB")
    assert peak_mib < 600


@pytest.mark.soak
def test_50mb_file_memory_grows_with_the_text_held_not_the_nlp_work(tmp_path: Path) -> None:
    small = lint_large_file(tmp_path, 5)
    large = lint_large_file(tmp_path, 50)
    growth_per_byte = (large - small) * 1024 * 1024 / 45_000_000
    print(f"peak RSS: 5 MB file {small} MiB, 50 MB file {large} MiB; {growth_per_byte:.2f} bytes of memory per extra input byte")
    # The text must be held (as bytes while reading, as str while mapping offsets, plus the line
    # and block indexes); the NLP pipeline's working memory is per chunk and does not grow.
    # Measured: 3.9 bytes per byte with api.lint_paths, 8.7 since `check` goes through the
    # runner (cache keys, jobs) — linear, but the runner holds more copies than it needs to.
    # This bound catches anything worse than linear.
    assert growth_per_byte < 12


@pytest.mark.soak
def test_a_1mb_reply_through_the_full_pipeline_stays_under_the_stated_memory_bound(tmp_path: Path) -> None:
    # The parser needs about 1 GB per 100,000 characters parsed at once; batches are capped by
    # characters (engine.MAX_BATCH_CHARS), so a 1 MB reply with the default packs peaked at
    # 0.4 GB where it took 3.6 GB with 64 chunks of 100,000 characters in one batch.
    paragraphs = [
        "Hi Dana, thanks for getting in touch about the VPN. I had a look at your laptop this morning "
        "and the connection drops because the DNS cache is out of date.",
        "Please restart the laptop, then connect to the VPN again. If it still drops, just reply to "
        "this email and I'll call you.",
        "As I already told you, the printer on the third floor needs a new toner cartridge, which we ordered yesterday.",
        "Your mailbox is nearly full. Archive older emails or empty Deleted Items, and let me know if you need a hand.",
    ]
    parts, size, i = [], 0, 0
    while size < 1_000_000:
        parts.append(paragraphs[i % len(paragraphs)])
        size += len(parts[-1]) + 2
        i += 1
    (tmp_path / "big-reply.txt").write_text("\n\n".join(parts), encoding="utf-8")
    code, out, err, peak_mib = run_commlint(["check", "--no-cache", "--format", "json", "big-reply.txt"], tmp_path)
    assert code == 1, err
    findings = json.loads(out)["files"][0]["findings"]
    assert sum(1 for f in findings if f["rule"] == "condescension.reproach") == len(parts) // 4
    print(f"1 MB reply, default packs: peak RSS {peak_mib} MiB, {len(findings)} findings")
    assert peak_mib < 1200
