"""What every check type shares.

A check type is one module named after its `check:` value. Its class validates options in
`__init__` (raising `RulePackError` with file:line through the `OptionReader`), declares the
annotations it needs, builds its matchers once in `compile(nlp)`, and then only yields
`Match`es from `run(doc, ctx)`. Document-level checks may also implement `finish(ctx)`,
called once after every chunk of a long document has been run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, AbstractSet, Any, ClassVar, Iterable, Mapping

from ..source import Prose
from ..source.prose import Block
from ..rulepack.options import OptionReader

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Match:
    """A span of prose (character offsets) a rule fires on. start == end: a whole-document finding."""

    start: int
    end: int
    values: Mapping[str, str] = field(default_factory=dict)
    replacement: str | None = None


@dataclass
class PackContext:
    """What checks may consult while compiling: the merged named lists of all loaded packs,
    and the words the configuration says the audience already knows."""

    lists: Mapping[str, Any] = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()
    # True: `known_words` replaces the packs' lists of words the audience knows (config
    # `known_words_replace: true`); False: it extends them.
    replace_known: bool = False

    def named_list(self, name: str) -> Any:
        return self.lists.get(name)

    def named_words(self, opts: Any, key: str, name: str) -> list[str]:
        """The word list `name` that option `key` names, or a pack error naming the option's line."""
        values = self.lists.get(name)
        if values is None or isinstance(values, dict):
            raise opts.error(key, f"no list named '{name}' is defined", "define it under 'lists:' in a pack file")
        return [str(v) for v in values]


@dataclass
class DocContext:
    """One document being linted: its prose, its kind, and per-rule scratch state for checks
    that need to see every chunk before deciding (`finish`)."""

    prose: Prose
    kind: str = "reply"
    offset: int = 0  # prose offset of the current chunk
    is_last_chunk: bool = True
    text: str = ""  # the current chunk's text (== doc.text, without rebuilding it from tokens)
    state: dict[str, Any] = field(default_factory=dict)
    # Block kinds that are not the writer's own words for the rule being run (its `skip_blocks`,
    # set by the engine before each rule). The source decided the blocks; checks only ask.
    skip_blocks: frozenset[str] = frozenset({"quote"})
    # Hashes of the lower-case words of the current chunk (set by the engine with each chunk; None:
    # not known): a check holding nested checks skips those whose trigger words are absent (`may_match`).
    lowers: AbstractSet[int] | None = None
    # Work several checks of one chunk share (its token table, its LOWER/SENT_START array, sentences
    # copied out of it): emptied by the engine with each chunk, so nothing outlives its Doc.
    chunk: dict[Any, Any] = field(default_factory=dict)

    def own_words(self, prose_offset: int) -> bool:
        """Whether the prose at this offset is the writer's own (not in a skipped block)."""
        block = self.prose.block_at(prose_offset)
        return block is None or block.kind not in self.skip_blocks

    def own_blocks(self) -> list[Block]:
        return [b for b in self.prose.blocks if b.kind not in self.skip_blocks]

    def body_end(self) -> int:
        """Where a missing part belongs: the prose offset just after the writer's last own words."""
        blocks = self.own_blocks()
        return blocks[-1].end if blocks else len(self.prose.text.rstrip())
    _matcher_text: str | None = None

    @property
    def matcher_text(self) -> str:
        """The whole prose as every matcher reads it (typographic quotes and apostrophes made
        straight, offsets unchanged): for checks that look across the document in `finish`."""
        if self._matcher_text is None:
            from ..nlp.text import straight_quotes

            self._matcher_text = straight_quotes(self.prose.text)
        return self._matcher_text


class Check:
    """Base class for check types."""

    name: ClassVar[str] = ""
    #: Annotations this check needs regardless of options (see commlint.nlp.ANNOTATIONS).
    base_needs: ClassVar[frozenset[str]] = frozenset({"tokens"})
    #: Whether the check reports once per document (suppression comments then don't apply by line).
    document_level: ClassVar[bool] = False
    #: Names a rule's message, suggestion and replacement may use besides {text} (the values its
    #: matches carry). Any other placeholder is a pack error at load.
    placeholders: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        self.opts = opts
        self.ctx = ctx
        self.needs: set[str] = set(self.base_needs)
        self.key = f"{opts.rule_id}#{id(self)}"

    def compile(self, nlp: "Language") -> None:
        """Build matchers against the pipeline's vocabulary. Called once."""

    def trigger_words(self) -> list[list[frozenset[str]]] | None:
        """What a chunk must contain for this check to match (see `pattern_trigger_words`);
        None = no cheap test, always run. Check types with word-constrained patterns override it."""
        return None

    def compile_triggers(self, nlp: "Language") -> list[list[frozenset[int]]] | None:
        """`trigger_words` as hashes of the pipeline's vocabulary, computed once and kept."""
        if not hasattr(self, "_compiled_triggers"):
            words = self.trigger_words()
            strings = nlp.vocab.strings
            self._compiled_triggers = (None if words is None else
                                       [[frozenset(strings.add(w) for w in node) for node in p] for p in words])
        return self._compiled_triggers

    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        raise NotImplementedError

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        return ()


# Token attributes and the annotations they need.
ATTR_NEEDS: dict[str, str] = {
    "POS": "tags",
    "TAG": "tags",
    "MORPH": "tags",
    "LEMMA": "lemmas",
    "DEP": "parse",
    "HEAD": "parse",
    "SENT_START": "sentences",
    "IS_SENT_START": "sentences",
    "ENT_TYPE": "entities",
    "ENT_IOB": "entities",
    "ENT_ID": "entities",
}


def needs_of_token_pattern(pattern: Iterable[Mapping[str, Any]]) -> set[str]:
    needs: set[str] = set()
    for token_spec in pattern:
        if not isinstance(token_spec, Mapping):
            continue
        for attr, value in token_spec.items():
            need = ATTR_NEEDS.get(str(attr).upper())
            if need:
                needs.add(need)
            if str(attr).upper() == "_":
                continue
            if isinstance(value, Mapping):
                needs |= needs_of_token_pattern([value])
    return needs


def to_plain(value: Any) -> Any:
    """LineDict/LineList → dict/list (what spaCy expects)."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end:
        return b_start <= a_start < max(b_end, b_start + 1)
    return a_start < b_end and b_start < a_end


def uses_backtracking_regex(pattern: Any) -> bool:
    """True when a spaCy token or dependency pattern uses the `REGEX` operator anywhere.

    spaCy runs `REGEX` with Python's backtracking `re`: a pattern like `^(a+)+$` takes hours on a
    40-character token, so a rule pack could stall every run. Packs use `check: regex` (RE2,
    linear time) or `IN` / `FUZZY` instead."""
    if isinstance(pattern, dict):
        return any(key == "REGEX" or uses_backtracking_regex(value) for key, value in pattern.items())
    if isinstance(pattern, list):
        return any(uses_backtracking_regex(item) for item in pattern)
    return False


REGEX_REFUSED = (
    "uses REGEX, which spaCy runs with Python's backtracking regular expressions (a pattern like (a+)+$ can stall for hours)",
    "match words with IN / NOT_IN / FUZZY, or write a separate `check: regex` rule (RE2, linear time)",
)


_TRIGGER_ATTRS = ("LOWER", "ORTH", "TEXT")
_REQUIRED_OPS = (None, "+", "1")


def pattern_trigger_words(patterns: Any, dependency: bool) -> list[list[frozenset[str]]] | None:
    """What a chunk must contain for token (or, with `dependency`, dependency) patterns to match:
    for each pattern, the word sets of its required tokens (`LOWER`/`ORTH`/`TEXT` equal to a word
    or `IN` a list, lower-cased); a pattern can only match when the chunk has a word of every set.
    None when some pattern constrains no token's words (then the check always runs)."""
    if not isinstance(patterns, list) or not patterns:
        return None
    out: list[list[frozenset[str]]] = []
    for pattern in patterns:
        required: list[frozenset[str]] = []
        for spec in pattern if isinstance(pattern, list) else ():
            if not isinstance(spec, dict):
                continue
            if not dependency and spec.get("OP") not in _REQUIRED_OPS:
                continue
            attrs = spec.get("RIGHT_ATTRS", {}) if dependency else spec
            for key in _TRIGGER_ATTRS:
                value = attrs.get(key) if isinstance(attrs, dict) else None
                if isinstance(value, str):
                    required.append(frozenset({value.lower()}))
                elif (isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list)
                      and value["IN"] and all(isinstance(v, str) for v in value["IN"])):
                    required.append(frozenset(v.lower() for v in value["IN"]))
        if not required:
            return None
        out.append(required)
    return out


def may_match(triggers: list[list[frozenset[int]]], lowers: "AbstractSet[int]") -> bool:
    """Whether some pattern has every one of its required word sets present in `lowers` (a set of
    lower-case word hashes). `isdisjoint` walks the smaller set in C, so a long `IN` list costs no
    more than a short one."""
    return any(all(not words.isdisjoint(lowers) for words in pattern) for pattern in triggers)
