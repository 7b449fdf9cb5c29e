"""The HTTP contract of `commlint serve`: pydantic models, each field described for the OpenAPI page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Decision = Literal["pass", "warn", "block"]


class CheckRequest(BaseModel):
    """A draft to check."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(description="The draft as the editor holds it (plain text, Markdown or HTML).")
    kind: Literal["reply", "chat", "kb"] = Field(
        "reply", description="What the draft is: a `reply` to a user (e-mail or ticket), a `chat` turn in a live "
        "conversation (a question to the reader is its next step; no follow-up offer expected), or a `kb` article.")
    format: Literal["plain", "markdown", "html"] = Field("plain", description="How `text` is written.")
    audience: Literal["end-user", "it-staff"] | None = Field(
        None, description="Who reads it: `end-user` (not technical) or `it-staff` (IT vocabulary is not coached). "
        "Default: the config's `audience`, else end-user.")
    rules: list[str] | None = Field(
        None, description="Only these rules: rule ids, categories or id prefixes (`acronym`, `condescension.blame`). "
        "Omit for every loaded rule. An entry that matches no loaded rule is a 400 error.")
    disable: list[str] | None = Field(
        None, description="Skip these rule ids (or categories). An entry that matches no loaded rule is a 400 error.")
    known_words: list[str] | None = Field(
        None, max_length=1000, description="Words this reader knows, on top of the config's `known_words`: "
        "a finding on exactly one of them (case-insensitive) is not reported. The page's \"Add to known words\" "
        "sends them.")
    strip_quotes: bool | None = Field(
        None, description="Drop quoted history (`> ` lines, 'On … wrote:', forwarded headers, mail clients' quote "
        "containers) and the signature before checking. Default: on for `reply` and `chat`, off for `kb` "
        "(or the config's `strip_quotes`).")
    strip_quoted: bool | None = Field(None, deprecated=True, description="Old spelling of `strip_quotes`.")


class OverrideRequest(BaseModel):
    """A reply sent despite the decision: who decided what, and why (never the reply's text)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    decision: Literal["warn", "block"] = Field(description="The decision the reply was sent despite.")
    rules: list[str] = Field(default_factory=list, max_length=100, description="Rule ids of the findings behind it.")
    reason: str = Field(min_length=3, max_length=500, description="Why the agent sent it as it was.")


class FindingOut(BaseModel):
    """One thing to coach, located in the submitted `text`."""

    rule: str = Field(description="Rule id, `category.problem`.")
    category: str = Field(description="acronym, jargon, condescension, next-steps, follow-up, readability, or a pack's own.")
    severity: Literal["error", "warning", "info"] = Field(description="How much it matters.")
    message: str = Field(description="What is wrong, in the reader's terms.")
    suggestion: str = Field(description="What to write instead.")
    text: str = Field(description="The exact submitted text of the finding (`text[start:end]`); empty for a whole-document finding.")
    line: int = Field(description="1-based line of the start in the submitted text.")
    column: int = Field(description="1-based column of the start.")
    end_line: int = Field(description="1-based line of the end.")
    end_column: int = Field(description="1-based column just after the end.")
    start: int = Field(description="0-based character (code point) offset of the start in the submitted text.")
    end: int = Field(description="0-based character offset just after the end; equals `start` for a whole-document finding, "
                     "which points where the missing part belongs.")
    explanation: str = Field("", description="Why it matters to the person reading the reply. (Beyond the CLI's JSON contract.)")
    replacement: str | None = Field(None, description="A direct replacement for `text` when the rule offers one "
                                    "(\"use this wording\"); null otherwise. (Beyond the CLI's JSON contract.)")


class IgnoredRange(BaseModel):
    """A part of the submitted text that was not checked."""

    start: int = Field(description="0-based character offset of the start in the submitted text.")
    end: int = Field(description="0-based character offset just after the end.")
    reason: Literal["quoted", "signature", "speaker", "header"] = Field(
        description="`quoted` history, the `signature`, a `speaker` label of the technician's own turn in a pasted chat transcript, "
                    "or the `header` lines (From:, To:, Subject: …) at the top of a saved mail.")


class CheckResponse(BaseModel):
    """The per-document report of the JSON contract (`path`, `score`, `findings`) plus the decision."""

    path: str = Field(description="Always `<request>`.")
    score: int = Field(description="0–100; 100 = nothing to coach.")
    findings: list[FindingOut] = Field(description="Findings in text order.")
    decision: Decision = Field(description="`block`: do not send as is; `warn`: send after a look; `pass`: fine to send.")
    reasons: list[str] = Field(description="Why the decision is not `pass`, one sentence each (empty for `pass`).")
    words: int = Field(description="Words checked (quoted history and signature excluded).")
    ignored: list[IgnoredRange] = Field(description="Ranges of the submitted text left unchecked (quoted history, signature, speaker labels).")


class RuleOut(BaseModel):
    """A loaded rule."""

    id: str = Field(description="Rule id, `category.problem`.")
    category: str = Field(description="The rule's category.")
    severity: Literal["error", "warning", "info"] = Field(description="Severity after the config's overrides.")
    summary: str = Field(description="One line: what the rule looks for.")
    message: str = Field(description="The message template (`{text}` is the matched text).")
    suggestion: str = Field(description="What to write instead (template).")
    explanation: str = Field(description="Why it matters to the reader.")
    applies_to: list[str] = Field(description="Document kinds the rule checks: reply, kb.")
    enabled: bool = Field(description="False when the config disables it.")


class RulesResponse(BaseModel):
    """Every loaded rule."""

    rules: list[RuleOut] = Field(description="Rules sorted by id.")


class Health(BaseModel):
    """Readiness of this worker."""

    status: Literal["ready", "loading", "stuck"] = Field(
        description="`ready` once the pipeline and packs are loaded; `stuck` (with 503) while one check has run past "
        "the request time budget, so a load balancer sends drafts to another worker.")
    rules: int = Field(description="Number of compiled rules.")
    pipeline: list[str] = Field(description="spaCy components this worker runs.")
    pid: int = Field(description="Worker process id.")


class ErrorBody(BaseModel):
    """Every error answers with this body."""

    error: str = Field(description="Machine-readable code: bad-json, invalid-request, unknown-rule, too-large, unauthorized, not-found, internal.")
    message: str = Field(description="What is wrong and what to do.")
    details: list[dict] | None = Field(None, description="Per-field problems for invalid-request (location, message).")  # type: ignore[type-arg]
