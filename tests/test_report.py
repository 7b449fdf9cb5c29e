"""`commlint report`: exports → documents/findings Parquet, summary.json and an offline report.html.

Most tests call `build_report` in this process with the session's settings (the spaCy pipeline is
already loaded); one runs the real command for the exit code, one runs a real Dask LocalCluster.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from commlint.config import Settings
from commlint.linter import Linter, TextInput
from commlint.report.records import ReportInputError
from commlint.report.build import ReportOptions, build_report, pseudonym
from commlint.report.tabular import Columns

from .conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "report"
CSV, JSONL, ZENDESK, FRESHDESK = (FIXTURES / n for n in ("replies.csv", "replies.jsonl", "zendesk.json", "freshdesk.json"))
ALL = tuple(str(p) for p in (CSV, JSONL, ZENDESK, FRESHDESK))
# Words that occur only in reply text (and in customer text or internal notes that must never be read).
PRIVATE = ("Flush your DNS cache", "restarted it", "IMAP server", "annoying", "My email stopped",
           "defrag the SSD", "private note", "OAuth")


def rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def run(tmp_path: Path, settings: Settings, *paths: str, name: str = "out", **changes) -> tuple[Path, object]:
    out = tmp_path / name
    options = ReportOptions(paths=paths or ALL, out=out, **{"jobs": 1, "batch_size": 3, **changes})
    return out, build_report(options, settings)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> tuple[Path, object]:
    return run(tmp_path_factory.mktemp("report"), settings)


def test_every_export_format_gives_the_teams_replies(report) -> None:
    out, result = report
    docs = {d["id"]: d for d in rows(out / "documents.parquet")}
    assert list(docs)[:5] == ["r1", "r2", "r3", "r4", "r5"]
    assert {"j1", "j2", "j4"} <= set(docs) and "j3" not in docs
    # Zendesk: only public comments by agents/admins; the end-user's comments and the internal note are not replies.
    assert {i for i in docs if "/" in i and not i.startswith("9/")} == {"101/1002", "102/1005"}
    assert docs["101/1002"]["agent"] == "Fay" and docs["101/1002"]["team"] == "Email"
    assert docs["101/1002"]["format"] == "html" and docs["102/1005"]["kind"] == "chat"
    # Freshdesk: outgoing public conversations only.
    assert [i for i in docs if i.startswith("9/")] == ["9/92"] and docs["9/92"]["agent"] == "Hal"
    assert docs["r3"]["team"] == "Network" and str(docs["r3"]["date"]) == "2026-02-03" and docs["r3"]["month"] == "2026-02"


def test_broken_rows_are_reported_with_their_line_and_the_rest_is_processed(report) -> None:
    _, result = report
    problems = [str(p) for p in result.problems]
    assert any(p.startswith(f"{JSONL}:3: not valid JSON") for p in problems), problems
    assert any(p.startswith(f"{JSONL}:4: empty reply text") for p in problems), problems
    assert result.documents == 11


def test_rows_match_what_the_linter_gives_for_the_same_texts(report, linter: Linter) -> None:
    out, _ = report
    docs = {d["id"]: d for d in rows(out / "documents.parquet")}
    findings = rows(out / "findings.parquet")
    texts = {"r1": "Obviously you should have just restarted it. Flush your DNS cache and check the VPN.",
             "r3": "The SMTP relay rejected the TLS handshake because the MX record TTL expired.",
             "j1": "Just clear the cache in the CRM and re-sync via OAuth."}
    zendesk = ("101/1002", "<p>Obviously the IMAP server is down. Just wait.</p>", "html")
    inputs = [TextInput(t, path=i, fmt="plain", kind="reply") for i, t in texts.items()]
    inputs.append(TextInput(zendesk[1], path=zendesk[0], fmt=zendesk[2], kind="reply"))
    for expected in linter.lint(inputs):
        doc = docs[expected.path]
        assert (doc["score"], doc["words"], doc["findings"]) == (expected.score, expected.words, len(expected.findings))
        by_category = Counter(f.category for f in expected.findings)
        for category, count in by_category.items():
            assert doc[f"findings_{category}"] == count
        assert dict(doc["rules"]) == dict(Counter(f.rule for f in expected.findings))
        mine = [(f["rule"], f["start"], f["end"], f["severity"]) for f in findings if f["doc_id"] == expected.path]
        assert mine == [(f.rule, f.location.start, f.location.end, f.severity.value) for f in expected.findings]


def test_summary_adds_up_per_team_agent_and_month(report) -> None:
    out, result = report
    summary = json.loads((out / "summary.json").read_text())
    docs = rows(out / "documents.parquet")
    words, findings = sum(d["words"] for d in docs), sum(d["findings"] for d in docs)
    assert summary["totals"]["documents"] == len(docs) == 11
    assert summary["totals"]["per_1000_words"] == round(1000 * findings / words, 3)
    desk = [d for d in docs if d["team"] == "Desk"]
    acronyms = sum(d["findings_acronym"] for d in desk)
    assert summary["by_team"]["Desk"]["per_1000_words_by_category"]["acronym"] == round(
        1000 * acronyms / sum(d["words"] for d in desk), 3)
    months = summary["by_month"]
    assert list(months) == sorted(months) and months["2026-01"]["change_per_1000_words"] is None
    assert months["2026-02"]["change_per_1000_words"] == round(
        months["2026-02"]["per_1000_words"] - months["2026-01"]["per_1000_words"], 3)
    assert summary["made_with"]["fingerprint"] and summary["made_with"]["settings"]["packs"] == ["default"]
    assert sum(summary["score_distribution"].values()) == 11
    assert summary["by_agent"]["Ana"]["team"] == "Desk"


def test_no_reply_text_anywhere_without_include_text(report) -> None:
    out, _ = report
    assert set(rows(out / "findings.parquet")[0]) == {"doc_id", "rule", "category", "severity", "start", "end",
                                                        "line", "column", "end_line", "end_column"}
    blobs = [(out / "summary.json").read_text(), (out / "report.html").read_text(),
             json.dumps(rows(out / "documents.parquet"), default=str), json.dumps(rows(out / "findings.parquet"))]
    for phrase in PRIVATE:
        assert not any(phrase in blob for blob in blobs), phrase


def test_include_text_puts_finding_text_and_examples_in(tmp_path: Path, settings: Settings) -> None:
    out, _ = run(tmp_path, settings, str(CSV), include_text=True)
    findings = rows(out / "findings.parquet")
    assert {"text", "message"} <= set(findings[0])
    assert any(f["text"] == "DNS" for f in findings)
    top = json.loads((out / "summary.json").read_text())["top_rules"]
    assert any(r.get("example") for r in top)


def test_the_page_works_offline(report) -> None:
    out, _ = report
    page = (out / "report.html").read_text()
    assert not re.search(r"https?://", page), "the page must not reference any URL"
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)
    assert page.count("<svg") >= 5 and "table class=\"sortable\"" in page
    # Agents above the threshold are highlighted.
    assert "▲ Cleo" in page


def test_pseudonymise_gives_stable_salted_ids(tmp_path: Path, settings: Settings) -> None:
    out, _ = run(tmp_path, settings, str(CSV), pseudonymise_salt="s3cret")
    agents = {d["agent"] for d in rows(out / "documents.parquet")}
    assert agents == {pseudonym(n, "s3cret") for n in ("Ana", "Ben", "Cleo")}
    assert pseudonym("Ana", "s3cret") != pseudonym("Ana", "other")
    assert "Ana" not in (out / "report.html").read_text()


def test_column_options_and_a_bad_column_name(tmp_path: Path, settings: Settings) -> None:
    data = tmp_path / "odd.csv"
    data.write_text("Msg;Who\nPlease restart the app and tell me if it works.;Ivy\n", encoding="utf-8")
    out, _ = run(tmp_path, settings, str(data), columns=Columns(text="Msg", agent="Who"))
    assert [(d["agent"], d["id"]) for d in rows(out / "documents.parquet")] == [("Ivy", "odd.csv:2")]
    proc = run_cli("report", str(data), "--out", str(tmp_path / "bad"), "--text", "Mesage", "--jobs", "1")
    assert proc.returncode == 2
    assert "no column 'Mesage' (--text)" in proc.stderr and "Msg, Who" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "bad").exists()
    # A bad column in a later file stops the run before anything is written, too.
    with pytest.raises(ReportInputError, match="no column 'Msg'"):
        run(tmp_path, settings, str(data), str(CSV), name="later", columns=Columns(text="Msg"))
    assert not (tmp_path / "later").exists()


def test_unreadable_file_is_reported_and_the_rest_processed(tmp_path: Path, settings: Settings) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text\ncaf\xe9 is closed\n".encode("latin-1"))
    out, result = run(tmp_path, settings, str(latin), str(tmp_path / "missing.csv"), str(CSV))
    problems = [str(p) for p in result.problems]
    assert any(p.startswith(str(latin)) and "UTF-8" in p for p in problems)
    assert any(p.startswith(str(tmp_path / "missing.csv")) for p in problems)
    assert result.documents == 5


def test_local_worker_processes_give_the_same_rows(report, tmp_path: Path, settings: Settings) -> None:
    out, _ = report
    other, _ = run(tmp_path, settings, jobs=2)
    assert rows(other / "documents.parquet") == rows(out / "documents.parquet")
    assert rows(other / "findings.parquet") == rows(out / "findings.parquet")


def test_a_dask_local_cluster_gives_the_same_rows(report, tmp_path: Path, settings: Settings) -> None:
    distributed = pytest.importorskip("dask.distributed")
    out, _ = report
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        other, result = run(tmp_path, settings, client=client)
    assert result.documents == 11
    assert rows(other / "documents.parquet") == rows(out / "documents.parquet")
    assert rows(other / "findings.parquet") == rows(out / "findings.parquet")
    mine, theirs = (json.loads((d / "summary.json").read_text()) for d in (out, other))
    assert mine["by_agent"] == theirs["by_agent"] and mine["totals"] == theirs["totals"]


def test_the_command_on_a_dask_cluster_of_worker_processes(report, tmp_path: Path) -> None:
    """The real command with --dask-local: rows cross process boundaries as plain values."""
    pytest.importorskip("dask.distributed")
    out, _ = report
    proc = run_cli("report", str(CSV), str(ZENDESK), "--out", str(tmp_path / "dask"), "--dask-local", "1",
                   "--batch-size", "2")
    assert proc.returncode == 0, proc.stderr
    expected = [d for d in rows(out / "documents.parquet") if not d["id"].startswith(("j", "9/"))]
    assert rows(tmp_path / "dask" / "documents.parquet") == expected


def test_a_browser_opens_the_page_offline_and_finds_its_plots(report) -> None:
    """Debian's chromium with every non-file request refused: the plots draw and tables sort."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    out, _ = report
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: (requests.append(route.request.url), route.abort())
                       if not route.request.url.startswith("file:") else route.continue_())
            page.goto((out / "report.html").as_uri())
            assert page.locator("svg").count() >= 5
            assert page.locator("svg rect").count() > 20 and page.locator("svg polyline").count() >= 2
            agents = page.locator("table.sortable").nth(1)
            agents.locator("th", has_text="per 1,000 words").click()
            agents.locator("th", has_text="per 1,000 words").click()  # descending
            assert agents.locator("tbody tr").first.locator("td").first.inner_text() == "Cleo"
        finally:
            browser.close()
    assert requests == []


def test_an_export_with_no_replies_still_gives_every_output(tmp_path: Path, settings: Settings) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,agent,body\n", encoding="utf-8")
    out, result = run(tmp_path, settings, str(empty))
    assert result.documents == 0 and rows(out / "documents.parquet") == [] and rows(out / "findings.parquet") == []
    assert json.loads((out / "summary.json").read_text())["totals"]["documents"] == 0
    assert "No data." in (out / "report.html").read_text()


def test_a_rerun_resumes_where_a_failed_run_stopped(report, tmp_path: Path, settings: Settings,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from commlint.report import run as run_module

    real, calls = run_module.lint_batch, []

    def crashing(*args, **kwargs):  # the third batch dies, as a killed worker would
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(run_module, "lint_batch", crashing)
    with pytest.raises(RuntimeError):
        run(tmp_path, settings)
    assert not (tmp_path / "out" / "documents.parquet").exists()
    calls.clear()
    monkeypatch.setattr(run_module, "lint_batch", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    out, result = run(tmp_path, settings)
    assert result.resumed == 2 and len(calls) == 2  # 4 batches of 3: only the unfinished ones again
    expected, _ = report
    assert rows(out / "documents.parquet") == rows(expected / "documents.parquet")
    assert rows(out / "findings.parquet") == rows(expected / "findings.parquet")
    assert not (out / ".commlint-parts").exists()
