"""`commlint report`: team coaching over a helpdesk archive.

One idea per module:

- `records`   the reply a reader yields (id, text, agent, team, date, kind, format) and read problems
- `tabular`   CSV and JSONL exports with column options and auto-detected column names
- `zendesk`   Zendesk ticket exports (public comments by agents only)
- `freshdesk` Freshdesk conversation exports (outgoing public replies only)
- `readers`   which reader reads which file
- `rows`      a batch of replies → plain rows through the `Linter` (what a worker runs)
- `run`       running batches: in this process, in local worker processes, or on Dask
- `tables`    documents.parquet and findings.parquet
- `summary`   summary.json: totals and findings per 1,000 words per team, agent and month
- `page`      report.html: a static, offline page with inline SVG plots and sortable tables

Reply text never reaches an output unless `include_text` is set.
"""

from __future__ import annotations
