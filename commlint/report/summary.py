"""summary.json: totals and findings per 1,000 words by category, per team, agent and month
(with the change from the previous month), the score distribution, top rules, and what the
report was made with. Built by streaming aggregation over document rows; no text unless asked."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .records import month_of

SUMMARY = "summary.json"
SUMMARY_VERSION = 1
UNKNOWN = "(unknown)"


def per_thousand(count: int, words: int) -> float:
    return round(1000.0 * count / words, 3) if words else 0.0


@dataclass
class Bucket:
    """Everything counted for one group of documents (a team, an agent, a month …)."""

    documents: int = 0
    words: int = 0
    findings: int = 0
    score_total: int = 0
    categories: Counter[str] = field(default_factory=Counter)

    def add(self, row: dict[str, Any]) -> None:
        self.documents += 1
        self.words += row["words"]
        self.findings += row["findings"]
        self.score_total += row["score"]
        self.categories.update(row["categories"])

    def as_dict(self, categories: list[str]) -> dict[str, Any]:
        return {"documents": self.documents, "words": self.words, "findings": self.findings,
                "mean_score": round(self.score_total / self.documents, 2) if self.documents else None,
                "per_1000_words": per_thousand(self.findings, self.words),
                "per_1000_words_by_category": {c: per_thousand(self.categories.get(c, 0), self.words) for c in categories},
                "findings_by_category": {c: self.categories.get(c, 0) for c in categories}}


class Aggregator:
    """Adds up document rows (and, for examples, finding rows) as batches come back."""

    DIMENSIONS = ("team", "agent", "month", "team_month", "agent_month")

    def __init__(self, categories: list[str]) -> None:
        self.categories = list(categories)
        self.total = Bucket()
        self.groups: dict[str, dict[str, Bucket]] = {d: defaultdict(Bucket) for d in self.DIMENSIONS}
        self.rules: Counter[str] = Counter()
        self.rule_category: dict[str, str] = {}
        self.rule_examples: dict[str, str] = {}
        self.scores: Counter[int] = Counter()  # score bucket (0, 10, … 90, 100) → documents
        self.agent_teams: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, documents: list[dict[str, Any]], findings: list[dict[str, Any]]) -> None:
        for row in documents:
            team, agent = row["team"] or UNKNOWN, row["agent"] or UNKNOWN
            month = month_of(row["date"]) or UNKNOWN
            self.total.add(row)
            for dimension, key in (("team", team), ("agent", agent), ("month", month),
                                   ("team_month", f"{team}\t{month}"), ("agent_month", f"{agent}\t{month}")):
                self.groups[dimension][key].add(row)
            self.rules.update(row["rules"])
            self.scores[min(100, row["score"] // 10 * 10)] += 1
            self.agent_teams[agent][team] += 1
        for finding in findings:
            self.rule_category.setdefault(finding["rule"], finding["category"])
            if "text" in finding and finding["text"] and finding["rule"] not in self.rule_examples:
                self.rule_examples[finding["rule"]] = finding["text"]

    def summary(self, made_with: dict[str, Any], threshold: float | None, top: int = 15) -> dict[str, Any]:
        cats = self.categories
        limit = threshold if threshold is not None else self.default_threshold()

        def table(dimension: str) -> dict[str, Any]:
            return {key: bucket.as_dict(cats) for key, bucket in sorted(self.groups[dimension].items())}

        agents = table("agent")
        for name, row in agents.items():
            row["team"] = self.agent_teams[name].most_common(1)[0][0]
            row["above_threshold"] = row["per_1000_words"] > limit
        return {
            "version": SUMMARY_VERSION,
            "made_with": made_with,
            "totals": {**self.total.as_dict(cats), "teams": len(self.groups["team"]), "agents": len(agents)},
            "threshold": {"per_1000_words": limit,
                          "rule": "given with --threshold" if threshold is not None
                          else "one standard deviation above the agents' mean"},
            "categories": cats,
            "by_team": table("team"),
            "by_agent": agents,
            "by_month": self._months("month"),
            "by_team_month": self._split("team_month"),
            "by_agent_month": self._split("agent_month"),
            "score_distribution": {(f"{low}-{low + 9}" if low < 100 else "100"): self.scores.get(low, 0)
                                   for low in range(0, 101, 10)},
            "top_rules": [{"rule": rule, "category": self.rule_category.get(rule, rule.split(".")[0]), "findings": n,
                           "per_1000_words": per_thousand(n, self.total.words),
                           **({"example": self.rule_examples[rule]} if rule in self.rule_examples else {})}
                          for rule, n in self.rules.most_common(top)],
        }

    def default_threshold(self) -> float:
        """The agents' mean rate plus one standard deviation: who writes unlike the rest of the team."""
        rates = [per_thousand(b.findings, b.words) for b in self.groups["agent"].values() if b.words]
        if not rates:
            return 0.0
        mean = sum(rates) / len(rates)
        return round(mean + (sum((r - mean) ** 2 for r in rates) / len(rates)) ** 0.5, 3)

    def _months(self, dimension: str, keys: dict[str, Bucket] | None = None) -> dict[str, Any]:
        """Months in order, each with the change in findings per 1,000 words from the previous month."""
        buckets = keys if keys is not None else self.groups[dimension]
        months: dict[str, Any] = {}
        previous: dict[str, Any] | None = None
        for month in sorted(buckets):
            row = buckets[month].as_dict(self.categories)
            row["change_per_1000_words"] = (round(row["per_1000_words"] - previous["per_1000_words"], 3)
                                            if previous else None)
            row["change_by_category"] = ({c: round(row["per_1000_words_by_category"][c]
                                                   - previous["per_1000_words_by_category"][c], 3)
                                          for c in self.categories} if previous else None)
            months[month] = previous = row
        return months

    def _split(self, dimension: str) -> dict[str, Any]:
        by_owner: dict[str, dict[str, Bucket]] = defaultdict(dict)
        for key, bucket in self.groups[dimension].items():
            owner, month = key.split("\t", 1)
            by_owner[owner][month] = bucket
        return {owner: self._months(dimension, months) for owner, months in sorted(by_owner.items())}
