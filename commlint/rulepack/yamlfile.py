"""Safe, line-aware YAML reading for rule packs and configs.

Plain data only: no tags that build objects, no aliases (which is also the defence against
"billion laughs" bombs), bounded size and nesting. Mappings remember the line of each key so
errors can say `file:line`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
# A glossary of 50,000 terms is about 250,000 values. The limit is checked on the event stream,
# before any tree is built, so a hostile file costs at most a streaming pass (tens of MB).
MAX_NODES = 500_000


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the source line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


try:  # the C loader is much faster on big glossaries
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class _NoAliasLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _check_size(text: str) -> None:
    """Count nodes and nesting on the event stream, refusing oversized or over-deep documents
    before the (memory-hungry) node tree exists."""
    events = 0
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(event.start_mark.line + 1, "YAML aliases (&anchor / *alias) are not allowed; write the value out")
        if isinstance(event, yaml.ScalarEvent):
            events += 1
        elif isinstance(event, yaml.CollectionStartEvent):
            events += 1
            depth += 1
            if depth > MAX_DEPTH + 1:
                raise YamlProblem(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if events > MAX_NODES:
            raise YamlProblem(event.start_mark.line + 1, f"document is too large (over {MAX_NODES} values); split it into several files")


def _compose_checked(text: str) -> Node | None:
    _check_size(text)
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return node


_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "timestamp")
)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _convert(node: Node, depth: int, budget: list[int], seen: set[int]) -> Any:
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise YamlProblem(_line(node), f"document is too large (over {MAX_NODES} values); split it into several files")
    if depth > MAX_DEPTH:
        raise YamlProblem(_line(node), f"nested more than {MAX_DEPTH} levels deep")
    if id(node) in seen:
        raise YamlProblem(_line(node), "YAML aliases (&anchor / *alias) are not allowed; write the value out")
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise YamlProblem(_line(node), f"YAML tag {node.tag!r} is not allowed (packs and configs are plain data)")
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        out = LineList()
        out.line = _line(node)
        out.item_lines = []
        for item in node.value:
            out.append(_convert(item, depth + 1, budget, seen))
            out.item_lines.append(_line(item))
        return out
    if isinstance(node, MappingNode):
        out_map = LineDict()
        out_map.line = _line(node)
        out_map.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(_line(key_node), "YAML merge keys ('<<') are not allowed; write the keys out")
            key = _convert(key_node, depth + 1, budget, seen)
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, (LineDict, LineList)):
                raise YamlProblem(_line(key_node), "mapping keys must be plain words")
            key = str(key)
            if key in out_map:
                raise YamlProblem(_line(key_node), f"key {key!r} appears twice in the same mapping (first at line "
                                                   f"{out_map.key_lines[key]}); keep one")
            out_map[key] = _convert(value_node, depth + 1, budget, seen)
            out_map.key_lines[key] = _line(key_node)
        return out_map
    raise YamlProblem(_line(node), "unsupported YAML node")  # pragma: no cover


_SCALAR_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag in ("tag:yaml.org,2002:str",) or node.style in ("'", '"', "|", ">"):
        return node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        try:
            return _SCALAR_CONSTRUCTOR.construct_object(node, deep=False)
        except Exception:  # noqa: BLE001
            return node.value
    return node.value


def parse_yaml(text: str) -> Any:
    """Parse YAML text into LineDict/LineList/scalars. Raises YamlProblem with a line."""
    try:
        node = _compose_checked(text)
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        if "alias" in str(exc.problem or "") or "anchor" in str(exc.problem or ""):
            raise YamlProblem(line, "YAML aliases are not allowed in rule packs; write the value out") from None
        raise YamlProblem(line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(line, f"not valid YAML: {problem}") from None
    if node is None:
        return None
    return _convert(node, 0, [0], set())


def read_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file; raises YamlProblem (line 0 for file-level problems)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlProblem(0, f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise YamlProblem(0, f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit for a YAML file; split it")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(0, f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise YamlProblem(0, f"cannot read: {exc.strerror or exc}") from None
    return parse_yaml(text)
