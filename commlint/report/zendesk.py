"""Zendesk ticket exports: tickets with their comments. Only public comments written by agents
(role agent or admin) are the team's replies; end-user comments and internal notes are skipped.

Accepted shapes: `{"tickets": [...], "users": [...], "groups": [...]}` (users and groups sideloaded,
as the API's `include=users,groups` gives them), a JSON array of tickets, or JSONL with one ticket
per line. A ticket carries `comments: [{id, author_id, public, html_body | body, created_at, via}]`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .records import Problem, Reply, RowProblem, parse_day
from .tabular import Columns

AGENT_ROLES = ("agent", "admin")
CHAT_CHANNELS = ("chat", "native_messaging", "messaging", "sunshine_conversations_api")


def looks_like(ticket: Any) -> bool:
    return isinstance(ticket, dict) and isinstance(ticket.get("comments"), list)


def _index(items: Any) -> dict[str, Mapping[str, Any]]:
    return {str(i.get("id")): i for i in items or () if isinstance(i, dict)}


class Directory:
    """Sideloaded users and groups: who wrote a comment and what team a ticket belongs to."""

    def __init__(self, users: Any = None, groups: Any = None) -> None:
        self.users = _index(users)
        self.groups = _index(groups)

    def author(self, comment: Mapping[str, Any]) -> tuple[str | None, str | None]:
        """(name, role) of a comment's author, from the inline author or the sideloaded users."""
        inline = comment.get("author") if isinstance(comment.get("author"), dict) else {}
        user = self.users.get(str(comment.get("author_id")), {})
        name = inline.get("name") or user.get("name") or (str(comment["author_id"]) if comment.get("author_id") is not None else None)
        return name, inline.get("role") or user.get("role")

    def team(self, ticket: Mapping[str, Any]) -> str | None:
        group = ticket.get("group")
        if isinstance(group, dict):
            return group.get("name")
        if isinstance(group, str):
            return group
        gid = ticket.get("group_id")
        if gid is None:
            return None
        return str(self.groups.get(str(gid), {}).get("name") or gid)


def is_agent_reply(ticket: Mapping[str, Any], comment: Mapping[str, Any], role: str | None) -> bool:
    if comment.get("public") is False:
        return False
    if role is not None:
        return role in AGENT_ROLES
    # No role known: anyone but the requester is taken as the team.
    requester = ticket.get("requester_id")
    return requester is not None and comment.get("author_id") != requester


def replies(tickets: Iterable[tuple[str, Any]], directory: Directory, columns: Columns, path: Path,
            problem: Callable[[Problem], None]) -> Iterator[Reply]:
    """(where, ticket) pairs → the team's public replies."""
    for where, ticket in tickets:
        if not looks_like(ticket):
            problem(Problem(where, "not a Zendesk ticket (no 'comments' list)"))
            continue
        team = directory.team(ticket)
        for number, comment in enumerate(ticket["comments"], 1):
            at = f"{where} comment {number}"
            if not isinstance(comment, dict):
                problem(Problem(at, f"expected a comment object, got {type(comment).__name__}"))
                continue
            name, role = directory.author(comment)
            if not is_agent_reply(ticket, comment, role):
                continue
            html = comment.get("html_body")
            text, fmt = (html, "html") if isinstance(html, str) and html.strip() else (
                comment.get("body") or comment.get("plain_body"), "plain")
            try:
                if not isinstance(text, str) or not text.strip():
                    raise RowProblem("comment has no body")
                channel = (comment.get("via") or {}).get("channel") if isinstance(comment.get("via"), dict) else None
                yield Reply(id=f"{ticket.get('id')}/{comment.get('id', number)}", text=text, agent=name, team=team,
                            date=parse_day(comment.get("created_at")),
                            kind="chat" if channel in CHAT_CHANNELS else columns.kind, fmt=fmt, where=at)
            except RowProblem as exc:
                problem(Problem(at, str(exc)))
