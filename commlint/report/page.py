"""report.html: one static page that works offline — inline SVG plots drawn here, inline CSS and
a few lines of inline JavaScript to sort tables. No CDN, no fonts, no network at view time.
Rendered from the summary alone, so the page shows nothing summary.json does not hold."""

from __future__ import annotations

import json
from html import escape
from typing import Any

REPORT = "report.html"
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
WARN = "#c0392b"
ALL_LINE = "#222"


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def legend(categories: list[str], first: tuple[str, str] | None = None) -> str:
    """Category colours (and, for the month plot, the line for all categories first)."""
    keys = ([first] if first else []) + [(c, colour(i)) for i, c in enumerate(categories)]
    items = "".join(f'<span class="key"><i style="background:{fill}"></i>{escape(name)}</span>' for name, fill in keys)
    return f'<div class="legend">{items}</div>'


def stacked_bars(rows: dict[str, Any], categories: list[str], flagged: set[str] = frozenset(),
                 limit: float | None = None, max_rows: int = 40) -> str:
    """Horizontal bars, one per group, stacked by category (findings per 1,000 words)."""
    names = sorted(rows, key=lambda n: -rows[n]["per_1000_words"])[:max_rows]
    if not names:
        return "<p>No data.</p>"
    top = max([rows[n]["per_1000_words"] for n in names] + [limit or 0, 0.001])
    label_w, bar_w, row_h = 180, 520, 22
    height = row_h * len(names) + 30
    parts = [f'<svg role="img" viewBox="0 0 {label_w + bar_w + 70} {height}" width="{label_w + bar_w + 70}" '
             f'height="{height}">']
    for row, name in enumerate(names):
        y = row * row_h + 4
        mark = name in flagged
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="{"flag" if mark else ""}">'
                     f'{"▲ " if mark else ""}{escape(name[:28])}</text>')
        x = float(label_w)
        for i, category in enumerate(categories):
            value = rows[name]["per_1000_words_by_category"].get(category, 0.0)
            width = bar_w * value / top
            if width > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row_h - 6}" fill="{colour(i)}">'
                             f'<title>{escape(name)} — {escape(category)}: {value:.2f} per 1,000 words</title></rect>')
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="num">{rows[name]["per_1000_words"]:.1f}</text>')
    if limit:
        lx = label_w + bar_w * limit / top
        parts.append(f'<line x1="{lx:.1f}" x2="{lx:.1f}" y1="0" y2="{height - 22}" stroke="{WARN}" stroke-dasharray="4 3"/>'
                     f'<text x="{lx:.1f}" y="{height - 8}" text-anchor="middle" class="flag">threshold {limit:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lines(months: dict[str, Any], categories: list[str]) -> str:
    """Findings per 1,000 words per month: one line per category and a bold line for all of them."""
    keys = list(months)
    if not keys:
        return "<p>No dated replies.</p>"
    series = [("all categories", ALL_LINE, [months[m]["per_1000_words"] for m in keys])]
    series += [(c, colour(i), [months[m]["per_1000_words_by_category"][c] for m in keys]) for i, c in enumerate(categories)]
    top = max([v for _, _, vals in series for v in vals] + [0.001])
    left, width, height, bottom = 50, 640, 240, 40
    step = width / max(1, len(keys) - 1)
    parts = [f'<svg role="img" viewBox="0 0 {left + width + 40} {height + bottom}" width="{left + width + 40}" '
             f'height="{height + bottom}">',
             f'<line x1="{left}" x2="{left}" y1="0" y2="{height}" stroke="#999"/>',
             f'<line x1="{left}" x2="{left + width}" y1="{height}" y2="{height}" stroke="#999"/>',
             f'<text x="{left - 6}" y="12" text-anchor="end" class="num">{top:.1f}</text>',
             f'<text x="{left - 6}" y="{height}" text-anchor="end" class="num">0</text>']
    for i, month in enumerate(keys):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height + 18}" text-anchor="middle" class="num">{escape(month)}</text>')
    for name, stroke, values in series:
        points = " ".join(f"{left + i * step:.1f},{height - height * v / top:.1f}" for i, v in enumerate(values))
        bold = 3 if stroke == ALL_LINE else 1.5
        parts.append(f'<polyline fill="none" stroke="{stroke}" stroke-width="{bold}" points="{points}">'
                     f'<title>{escape(name)}</title></polyline>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{left + i * step:.1f}" cy="{height - height * v / top:.1f}" r="3" fill="{stroke}">'
                         f'<title>{escape(name)} {escape(keys[i])}: {v:.2f} per 1,000 words</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def columns(values: dict[str, int], label: str) -> str:
    """Vertical bars (the score distribution)."""
    keys = list(values)
    top = max(list(values.values()) + [1])
    bar, gap, height = 52, 8, 200
    width = len(keys) * (bar + gap) + 20
    parts = [f'<svg role="img" viewBox="0 0 {width} {height + 40}" width="{width}" height="{height + 40}" '
             '>']
    for i, key in enumerate(keys):
        h = height * values[key] / top
        x = 10 + i * (bar + gap)
        parts.append(f'<rect x="{x}" y="{height - h:.1f}" width="{bar}" height="{h:.1f}" fill="{colour(0)}">'
                     f'<title>{label} {escape(key)}: {values[key]} replies</title></rect>'
                     f'<text x="{x + bar / 2}" y="{height - h - 4:.1f}" text-anchor="middle" class="num">{values[key]}</text>'
                     f'<text x="{x + bar / 2}" y="{height + 16}" text-anchor="middle" class="num">{escape(key)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sortable(headers: list[str], rows: list[list[Any]], flagged_rows: set[int] = frozenset()) -> str:
    """A table whose columns sort on click (numbers as numbers)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        cells = "".join(f'<td data-v="{escape(str(v))}">{escape(_fmt(v))}</td>' for v in row)
        body.append(f'<tr class="{"flag" if index in flagged_rows else ""}">{cells}</tr>')
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _change(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def group_table(rows: dict[str, Any], categories: list[str], first: str, extra: tuple[str, ...] = ()) -> str:
    headers = [first, *extra, "replies", "words", "mean score", "per 1,000 words", *categories]
    body, flagged = [], set()
    for index, (name, row) in enumerate(rows.items()):
        body.append([name, *[row.get(e) for e in extra], row["documents"], row["words"], row["mean_score"],
                     row["per_1000_words"], *[row["per_1000_words_by_category"][c] for c in categories]])
        if row.get("above_threshold"):
            flagged.add(index)
    return sortable(headers, body, flagged)


def month_table(months: dict[str, Any], categories: list[str]) -> str:
    headers = ["month", "replies", "words", "per 1,000 words", "change", *[f"{c} (change)" for c in categories]]
    body = []
    for month, row in months.items():
        changes = row["change_by_category"] or {}
        body.append([month, row["documents"], row["words"], row["per_1000_words"], _change(row["change_per_1000_words"]),
                     *[f'{row["per_1000_words_by_category"][c]:.2f} ({_change(changes.get(c))})' for c in categories]])
    return sortable(headers, body)


def render(summary: dict[str, Any]) -> str:
    cats = summary["categories"]
    totals, limit = summary["totals"], summary["threshold"]["per_1000_words"]
    flagged = {name for name, row in summary["by_agent"].items() if row["above_threshold"]}
    rules = summary["top_rules"]
    has_examples = any("example" in r for r in rules)
    rule_rows = {r["rule"]: {"per_1000_words": r["per_1000_words"],
                             "per_1000_words_by_category": {r["category"]: r["per_1000_words"]}} for r in rules}
    rule_headers = ["rule", "category", "findings", "per 1,000 words"] + (["example"] if has_examples else [])
    rule_body = [[r["rule"], r["category"], r["findings"], r["per_1000_words"]] + ([r.get("example", "")] if has_examples else [])
                 for r in rules]
    made = summary["made_with"]
    sections = [
        f"<h1>Team writing report</h1><p class=\"lead\">{totals['documents']} replies, {totals['words']} words, "
        f"{totals['findings']} findings ({totals['per_1000_words']:.2f} per 1,000 words), mean score "
        f"{_fmt(totals['mean_score'])}, {totals['teams']} teams, {totals['agents']} agents.</p>",
        "<h2>Findings per 1,000 words by category, per team</h2>", legend(cats),
        stacked_bars(summary["by_team"], cats), group_table(summary["by_team"], cats, "team"),
        f"<h2>Per agent</h2><p>Agents above {limit:.2f} findings per 1,000 words ({escape(summary['threshold']['rule'])}) "
        f"are marked ▲ and highlighted.</p>", legend(cats),
        stacked_bars(summary["by_agent"], cats, flagged, limit), group_table(summary["by_agent"], cats, "agent", ("team",)),
        "<h2>Per month, with the change from the previous month</h2>", legend(cats, ("all categories", ALL_LINE)),
        lines(summary["by_month"], cats), month_table(summary["by_month"], cats),
        "<h2>Score distribution</h2>", columns(summary["score_distribution"], "score"),
        "<h2>Top rules</h2>", stacked_bars(rule_rows, cats), sortable(rule_headers, rule_body),
        "<h2>Made with</h2>", f"<pre>{escape(json.dumps(made, indent=2, ensure_ascii=False))}</pre>",
    ]
    return PAGE.replace("{{BODY}}", "\n".join(sections))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>commlint team report</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h2{margin-top:2em;border-bottom:1px solid #ddd}
svg{display:block;margin:.5em 0;max-width:100%;height:auto}
svg text{font-size:12px;fill:#333} svg .num{font-size:11px;fill:#555} svg .flag{fill:#c0392b;font-weight:600}
.legend .key{margin-right:1em;white-space:nowrap} .legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-1px}
table{border-collapse:collapse;margin:.5em 0;font-size:13px} th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left} th{cursor:pointer;background:#f6f6f6;user-select:none}
th.asc:after{content:" ▲"} th.desc:after{content:" ▼"} tr.flag td{background:#fdecea} tr.flag td:first-child{color:#c0392b;font-weight:600}
pre{background:#f6f6f6;padding:1em;overflow:auto} .lead{font-size:16px}
</style></head><body>
{{BODY}}
<script>
document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], asc = !th.classList.contains("asc");
    table.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
    th.classList.add(asc ? "asc" : "desc");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.v, y = b.cells[index].dataset.v, nx = parseFloat(x), ny = parseFloat(y);
      var num = /^-?\\d+(\\.\\d+)?(e-?\\d+)?$/;
      var r = (num.test(x) && num.test(y)) ? nx - ny : x.localeCompare(y);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>
</body></html>
"""
