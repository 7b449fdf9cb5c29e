"""`--format junit`: JUnit XML for CI test tabs — one test case per file.

A file fails when it has a finding at or above `--fail-on`; its findings are listed in the
failure text as `line:column severity rule: message`. Findings below the threshold go to the
test case's `system-out`. A file that could not be read is an `error`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from ..models import FileReport, Finding, Report
from . import RenderContext


def _line(f: Finding) -> str:
    text = f"{f.location.line}:{f.location.column} {f.severity.value} {f.rule}: {f.message}"
    return text + (f"\n    → {f.suggestion}" if f.suggestion else "")


def _case(parent: ET.Element, r: FileReport, ctx: RenderContext) -> tuple[int, int]:
    case = ET.SubElement(parent, "testcase", {"classname": "commlint", "name": r.path, "file": r.path,
                                              "time": "0"})
    if r.error is not None:
        error = ET.SubElement(case, "error", {"type": "input", "message": r.error})
        error.text = f"{r.path}: {r.error}"
        return 0, 1
    failing = [f for f in r.findings if f.severity.rank >= ctx.fail_on.rank]
    other = [f for f in r.findings if f.severity.rank < ctx.fail_on.rank]
    if failing:
        n = len(failing)
        failure = ET.SubElement(case, "failure", {
            "type": "commlint",
            "message": f"{n} finding{'s' if n != 1 else ''} at or above {ctx.fail_on.value}; score {r.score}/100",
        })
        failure.text = "\n".join(_line(f) for f in failing)
    out = ET.SubElement(case, "system-out")
    out.text = "\n".join([f"score {r.score}/100"] + [_line(f) for f in other])
    return (1 if failing else 0), 0


def to_xml(report: Report, ctx: RenderContext) -> ET.Element:
    suites = ET.Element("testsuites", {"name": "commlint"})
    suite = ET.SubElement(suites, "testsuite", {"name": "commlint"})
    failures = errors = 0
    for r in report.files:
        f, e = _case(suite, r, ctx)
        failures += f
        errors += e
    for element in (suites, suite):
        element.set("tests", str(len(report.files)))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
    suite.set("skipped", "0")
    return suites


def render(report: Report, out: TextIO, ctx: RenderContext) -> None:
    tree = ET.ElementTree(to_xml(report, ctx))
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree.getroot(), encoding="unicode"))
    out.write("\n")
