"""A sample helpdesk archive for `make report-demo` and the report benchmark: seeded support
replies (bench/replies.py) with fake agents, teams and dates over six months.

    .venv/bin/python bench/report_archive.py OUT.csv [--replies N] [--seed S]

Two agents write in the habits commlint coaches more often than the others, and one of them
improves month by month, so the report has something to show. Every name is made up.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replies import make_reply  # noqa: E402

TEAMS = {"Service Desk": ["Avery", "Blake", "Casey", "Devon"], "Field Support": ["Emery", "Finley", "Harper"],
         "Applications": ["Jules", "Kai", "Logan", "Morgan"]}
HABITS = ["Just flush the DNS cache and reconnect to the VPN.", "Simply re-image the machine if the error comes back.",
          "Obviously the GPO blocked the MSI, so push it via SCCM.", "As I already said, it's easy."]
HEAVY = {"Blake": 0.9, "Kai": 0.7}  # chance a reply gets one more habit sentence
START = date(2026, 5, 1)


def make_archive(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    agents = [(agent, team) for team, names in TEAMS.items() for agent in names]
    rows = []
    for number in range(1, count + 1):
        agent, team = rng.choice(agents)
        day = START + timedelta(days=rng.randrange(183))
        text = make_reply(rng)
        chance = HEAVY.get(agent, 0.1)
        if agent == "Kai":  # Kai improves: fewer habits each month
            chance = max(0.05, chance - 0.12 * ((day - START).days // 30))
        if rng.random() < chance:
            paragraphs = text.split("\n\n")
            paragraphs[2] = f"{paragraphs[2]} {rng.choice(HABITS)}".strip()
            text = "\n\n".join(paragraphs)
        rows.append({"id": f"R{number:06d}", "agent": agent, "team": team, "created_at": day.isoformat(), "body": text})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--replies", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "agent", "team", "created_at", "body"])
        writer.writeheader()
        writer.writerows(make_archive(args.replies, args.seed))
    print(f"{args.replies} replies → {args.out}")


if __name__ == "__main__":
    main()
