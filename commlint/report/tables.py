"""documents.parquet and findings.parquet, written batch by batch (row groups), never held whole.

documents: id, agent, team, date, month, kind, format, words, score, findings, one
`findings_<category>` count column per category the packs define, and `rules` (rule id → count).
findings: doc_id, rule, category, severity, start, end, line, column, end_line, end_column — and
`text` and `message` only when the report includes text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from .records import as_date, month_of

DOCUMENTS = "documents.parquet"
FINDINGS = "findings.parquet"


def category_column(category: str) -> str:
    return f"findings_{category}"


def documents_schema(categories: Iterable[str]) -> pa.Schema:
    fields = [("id", pa.string()), ("agent", pa.string()), ("team", pa.string()), ("date", pa.date32()),
              ("month", pa.string()), ("kind", pa.string()), ("format", pa.string()), ("words", pa.int32()),
              ("score", pa.int32()), ("findings", pa.int32())]
    fields += [(category_column(c), pa.int32()) for c in categories]
    fields.append(("rules", pa.map_(pa.string(), pa.int32())))
    return pa.schema(fields)


def findings_schema(include_text: bool) -> pa.Schema:
    fields = [("doc_id", pa.string()), ("rule", pa.string()), ("category", pa.string()), ("severity", pa.string())]
    fields += [(name, pa.int32()) for name in ("start", "end", "line", "column", "end_line", "end_column")]
    if include_text:
        fields += [("text", pa.string()), ("message", pa.string())]
    return pa.schema(fields)


class Tables:
    """The two Parquet files of one report, appended to one batch at a time."""

    def __init__(self, out: Path, categories: list[str], include_text: bool) -> None:
        self.categories = list(categories)
        self.documents_schema = documents_schema(self.categories)
        self.findings_schema = findings_schema(include_text)
        self._documents = pq.ParquetWriter(out / DOCUMENTS, self.documents_schema)
        self._findings = pq.ParquetWriter(out / FINDINGS, self.findings_schema)

    def add(self, documents: list[dict[str, Any]], findings: list[dict[str, Any]]) -> None:
        if documents:
            self._documents.write_table(pa.Table.from_pylist([self._document(d) for d in documents],
                                                             schema=self.documents_schema))
        if findings:
            self._findings.write_table(pa.Table.from_pylist(findings, schema=self.findings_schema))

    def _document(self, row: dict[str, Any]) -> dict[str, Any]:
        flat = {k: v for k, v in row.items() if k not in ("categories", "rules", "date")}
        flat["date"] = as_date(row["date"])
        flat["month"] = month_of(row["date"])
        for category in self.categories:
            flat[category_column(category)] = row["categories"].get(category, 0)
        flat["rules"] = sorted(row["rules"].items())
        return flat

    def close(self) -> None:
        self._documents.close()
        self._findings.close()
