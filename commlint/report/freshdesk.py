"""Freshdesk conversation exports: tickets with their conversations. The team's replies are the
conversations that are outgoing (`incoming: false`) and public (`private: false`); customer
messages and private notes are skipped.

Accepted shapes: `{"tickets": [...], "agents": [...], "groups": [...]}`, a JSON array of tickets or
JSONL with one ticket per line; a ticket carries `conversations: [{id, body | body_text, incoming,
private, user_id, created_at}]`. Agents are `{id, contact: {name}}` or `{id, name}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .records import Problem, Reply, RowProblem, parse_day
from .tabular import Columns


def looks_like(ticket: Any) -> bool:
    return isinstance(ticket, dict) and isinstance(ticket.get("conversations"), list)


class Directory:
    def __init__(self, agents: Any = None, groups: Any = None) -> None:
        self.agents = {str(a.get("id")): a for a in agents or () if isinstance(a, dict)}
        self.groups = {str(g.get("id")): g for g in groups or () if isinstance(g, dict)}

    def agent(self, user_id: Any) -> str | None:
        if user_id is None:
            return None
        agent = self.agents.get(str(user_id), {})
        contact = agent.get("contact") if isinstance(agent.get("contact"), dict) else {}
        return contact.get("name") or agent.get("name") or str(user_id)

    def team(self, ticket: Mapping[str, Any]) -> str | None:
        gid = ticket.get("group_id")
        if gid is None:
            return ticket.get("group") if isinstance(ticket.get("group"), str) else None
        return str(self.groups.get(str(gid), {}).get("name") or gid)


def replies(tickets: Iterable[tuple[str, Any]], directory: Directory, columns: Columns, path: Path,
            problem: Callable[[Problem], None]) -> Iterator[Reply]:
    for where, ticket in tickets:
        if not looks_like(ticket):
            problem(Problem(where, "not a Freshdesk ticket (no 'conversations' list)"))
            continue
        team = directory.team(ticket)
        for number, conv in enumerate(ticket["conversations"], 1):
            at = f"{where} conversation {number}"
            if not isinstance(conv, dict):
                problem(Problem(at, f"expected a conversation object, got {type(conv).__name__}"))
                continue
            if conv.get("incoming", False) or conv.get("private", False):
                continue
            html = conv.get("body")
            text, fmt = (html, "html") if isinstance(html, str) and html.strip() else (conv.get("body_text"), "plain")
            try:
                if not isinstance(text, str) or not text.strip():
                    raise RowProblem("conversation has no body")
                yield Reply(id=f"{ticket.get('id')}/{conv.get('id', number)}", text=text,
                            agent=directory.agent(conv.get("user_id")), team=team,
                            date=parse_day(conv.get("created_at")), kind=columns.kind, fmt=fmt, where=at)
            except RowProblem as exc:
                problem(Problem(at, str(exc)))
