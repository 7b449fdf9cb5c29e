"""`check: acronym` — acronyms that are never explained anywhere in the document.

Candidates are acronym-like words in the prose (capitals, 2+ letters, digits allowed, a plural
`s`: DNS, MFA, PCs, 2FA). Each one never explained in the same document is reported once, at
its first use. "Explained" follows the Schwartz–Hearst idea (the letters of the short form
appear in order in a nearby long form, the first at the start of a word) plus gloss cues
written in the pack (`MFA, which means…`, `SSO stands for…`, `MFA – the code on your phone –`).

Never candidates: words the audience knows (a list, plus the configuration's `known_words`),
units, ordinary English words written in capitals for emphasis (`TODAY`, `DO NOT`) and runs of
capitalised words, identifiers and codes (patterns in the pack), and anything inside URLs,
e-mail addresses or file paths.

Options:
  glossary:        name of a mapping list {SF: {expansion: ..., plain: ...}} (for suggestions)
  known:           names of lists of acronyms the reader knows (case-insensitive)
  units:           name of a list of units (GB, MHz …), never flagged, also after a number
  identifier_patterns: regular expressions; a word matching one is a code, not an acronym
  gloss_after:     regular expressions tried on the text right after the short form
  gloss_before:    regular expressions tried on the text right before the short form
  long_form_after: regular expressions tried right after the short form, each with a named
                   group `long`; explained when that group holds the long form ("PSU is the
                   power supply unit")
  ordinary_word_zipf: a capitalised word whose lower-case form is at least this common in
                   English (wordfreq Zipf scale) and is not in the glossary is emphasis (default 4.0)
  long_word_zipf:  the same for words of six letters or more (default 3.0: 'CHECKLIST', 'MAILBOX')
  shouting_run:    this many capitalised words in a row are shouting, not acronyms (default 3)
  code_words:      names of lists of literals that look like acronyms but are code or values
                   the reader types or matches as written (DWORD, NULL, HELO); never flagged
  known_names:     names of lists of names with an acronym in them (`Mac OS`, `Office LTSC`);
                   words inside one are never flagged (matched without regard to case)
  label_before:    name of a list of regular expressions tried on the text before bold/italic
                   text: a match makes it a label the reader must find ("Click **SQL View**")
  label_after:     the same, tried on the text after it ("the **DWORD Value** option")
  displayed_text:  name of a list of regular expressions tried on a line that introduces displayed
                   text ("you receive the following error message:"): the whole-line bold or italic
                   runs right under it are that text, cited as written
  clause_openers / clause_verbs / clause_relatives / clause_instructions: names of word lists; ", the laptop will …"
                   after a short form opens a clause and glosses nothing (commlint/checks/glosses.py)
  table_definition_words: a row whose first cell holds the short form and whose later cell has at
                   least this many words defines it (a definition table; glosses.TableDefinitions; 0: off)
                   (see labels.py, shared with the jargon check)
  code_after:      regular expressions tried right after a candidate: a match makes it a code
                   literal ("the META REFRESH tag", "a DWORD value")
  gloss_around:    regular expressions tried on the text around the short form, written as @@
                   (glosses.GlossAround, as the jargon check's): "A @@ path uses the server name
                   instead of …" says what such a thing is or does
  name_list_kinds: nouns that make an enumeration of three or more capitalised names a list of
                   names of things ('the SUMIF, COUNTIF and COUNTBLANK functions', 'functions such
                   as DSUM, DGET and DMAX'): none of its members is coached as an abbreviation
  log_field:       a regular expression for one "Field: value" of a log or event record; a block
                   with `log_fields` of them by different names (default 3) is quoted log text,
                   never flagged (the same one or two names repeated are a chat transcript)
  done_value:      a regular expression for the start of a "Field: value" value that says what the
                   writer did ("SPF: added their include"): such a list is neither a record nor a glossary
  glossary_definition: a regular expression for the start of a list item's value that reads as a
                   definition ("A protocol that's used by …"): then a name of several words, a short form
                   in brackets or names joined by "and" before the colon are defined by it (off without it)

Labels, quoted text and literals, from the markup and the text's shape: text in a link (an
article title), bold or italic text that is a label (ends with a colon, Title Case words, a
`label_before`/`label_after` match, or next to a menu separator `>`), text in double quotes
(a quoted message or label), `<placeholders>`, and the words around a candidate that repeat a
quoted message word for word.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..nlp.frequency import LONG_WORD_ZIPF, ORDINARY_ZIPF, is_ordinary_word
from ..patterns import PatternSet, compile_options, compile_pattern, literal_alternation, word_set
from ..rulepack.options import OptionReader
from .base import Check, DocContext, Match, PackContext
from .glosses import ClauseAfter, GlossAround, TableDefinitions
from .labels import Labels, Records, Spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

# Layout, not language: what a word, a URL, an address or a path looks like.
_WORD = re.compile(r"[^\s—]+")  # an em dash joins no words: "name (FQDN)—omit the prefix"
_LEADING = "([{\"'“‘<*_«"
_TRAILING = ".,;:!?)]}\"'”’>*_»…"
_NOT_PROSE = re.compile(r"://|^www\.|@|[/\\]|^[\w-]+(\.[\w-]+)+$|^#|^\$|=")
_ACRONYM = re.compile(r"^(?P<sf>(?=[A-Z0-9&]*[A-Z][A-Z0-9&]*[A-Z])[A-Z0-9&]+|(?=\d*[A-Z]{2})[0-9][A-Z]{2,})(?P<plural>s|'s|’s|s'|s’)?$")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’]*$")
_SENTENCE_END = re.compile(r"[.!?]\s|\n\s*\n")
_DIGITS = re.compile(r"\d")
_SLASHED = re.compile(r"^[A-Za-z0-9&]+(/[A-Za-z0-9&]+){1,2}$")  # IT/SDA, TCP/IP, OS/Spotify
# The host of a web or e-mail address in the prose: "sally@jabber.ccc.de", "https://www.bbc.co.uk/…"
_ADDRESS_HOST = re.compile(r"(?:@|://)((?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})\b")
# Second-level labels a registry puts between a name and a country's domain: "bbc.co.uk", "ox.ac.uk"
_REGISTRY_LABELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "sch", "nhs", "gv", "or", "ne"})


def _address_names(text: str) -> frozenset[str]:
    """The names of the organisations or services whose web or e-mail addresses the page shows, in
    capitals: "CCC" for "jabber.ccc.de", "BBC" for "www.bbc.co.uk" (the label before the
    registry's part, not "jabber", "vpn" or "mail" in front of it)."""
    names = set()
    for m in _ADDRESS_HOST.finditer(text):
        labels = m.group(1).lower().split(".")[:-1]
        if len(labels) >= 2 and labels[-1] in _REGISTRY_LABELS:
            labels.pop()
        names.add(labels[-1].upper())
    return frozenset(names)


@dataclass(frozen=True)
class Word:
    start: int  # prose offsets of the word itself (punctuation stripped)
    end: int
    text: str
    position: int = 0  # index in the text's sequence of whitespace-separated words


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    short_form: str


@dataclass(frozen=True)
class _Found:
    candidate: Candidate
    reportable: bool  # False: inside a label, quoted text, a log record or a name


class AcronymCheck(Check):
    name = "acronym"
    placeholders = frozenset({'short_form', 'expansion', 'plain'})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.glossary = self._read_glossary(opts, ctx)
        known: set[str] = set()
        for list_name in opts.str_list("known"):
            words = self._named(opts, ctx, "known", list_name)
            if not ctx.replace_known:
                known |= {w.upper() for w in words}
        known |= {w.upper() for w in ctx.known_words}
        self.known = frozenset(known)
        units_name = opts.str("units")
        self.units = frozenset(u.upper() for u in self._named(opts, ctx, "units", units_name)) if units_name else frozenset()
        self.identifiers = _compile_all(opts, "identifier_patterns")
        self.gloss_after = _compile_all(opts, "gloss_after", re.IGNORECASE)
        self.gloss_before = _compile_all(opts, "gloss_before", re.IGNORECASE)
        self.long_form_after = _compile_all(opts, "long_form_after", re.IGNORECASE)
        self.gloss_around = GlossAround(opts)
        for i, pattern in enumerate(self.long_form_after):
            if "long" not in pattern.groupindex:
                raise opts.error("long_form_after", f"pattern {i + 1} of 'long_form_after' has no (?P<long>…) group",
                                 "wrap the part that holds the long form in (?P<long>…)")
        self.ordinary_zipf = opts.number("ordinary_word_zipf", ORDINARY_ZIPF) or ORDINARY_ZIPF
        # Six letters or more, a rarer word is still a word ('CHECKLIST', 'MAILBOX'): abbreviations
        # that long that are also English words are few, and the glossary keeps them (RADIUS).
        self.long_word_zipf = opts.number("long_word_zipf", LONG_WORD_ZIPF) or LONG_WORD_ZIPF
        self.shouting_run = int(opts.number("shouting_run", 3) or 3)
        self.code_words = frozenset(w.upper() for name in opts.str_list("code_words")
                                    for w in self._named(opts, ctx, "code_words", name))
        names = [n for name in opts.str_list("known_names") for n in self._named(opts, ctx, "known_names", name)]
        self.known_names = word_set(names, before_suffix=True)
        self.labels = Labels(opts, ctx)
        self.code_after = _compile_all(opts, "code_after")
        # "does any of them occur", asked per word and per candidate: one RE2 pass each
        self._any_identifier = PatternSet(self.identifiers)
        self._any_gloss_after = PatternSet(self.gloss_after)
        self._any_gloss_before = PatternSet(self.gloss_before)
        self.name_kinds = _kind_patterns(opts.str_list("name_list_kinds"))
        self.records = Records(opts)
        definition = opts.str("glossary_definition")

        def fail_definition(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error("glossary_definition", f"'glossary_definition': {problem}", fix, line)

        self.glossary_definition = (compile_pattern(definition, ignore_case=False, fail=fail_definition)
                                    if definition else None)
        self.clause_after = ClauseAfter(opts, ctx)
        self.tables = TableDefinitions(opts)

    # -- options ---------------------------------------------------------------------------
    @staticmethod
    def _named(opts: OptionReader, ctx: PackContext, key: str, name: str) -> list[str]:
        return ctx.named_words(opts, key, name)

    @staticmethod
    def _read_glossary(opts: OptionReader, ctx: PackContext) -> dict[str, Mapping[str, str]]:
        name = opts.str("glossary")
        if name is None:
            return {}
        values = ctx.named_list(name)
        if not isinstance(values, Mapping):
            raise opts.error("glossary", f"'{name}' must be a mapping under 'lists:' (SF: {{expansion: ..., plain: ...}})",
                             "define it as a YAML mapping in a pack file")
        glossary: dict[str, Mapping[str, str]] = {}
        for short_form, entry in values.items():
            if isinstance(entry, str):
                entry = {"expansion": entry}
            if not isinstance(entry, Mapping) or not isinstance(entry.get("expansion"), str):
                raise opts.error("glossary", f"glossary entry '{short_form}' needs 'expansion:'", "write SF: {expansion: ..., plain: ...}")
            glossary[str(short_form).upper()] = {k: str(v) for k, v in entry.items()}
        return glossary

    # -- running ---------------------------------------------------------------------------
    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        return ()  # decided on the whole document in finish()

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        text = ctx.matcher_text
        words = list(_words(text))
        found = self._candidates(words, ctx)
        seen: set[str] = set()
        by_form: dict[str, list[Candidate]] = {}
        for f in found:
            by_form.setdefault(f.candidate.short_form, []).append(f.candidate)
        matches = []
        names = _names_in_lists(ctx, self.name_kinds) if found else set()
        names |= _numbered_series(found, self.glossary)
        defined = _defined_in_lists(ctx, self.records, self.glossary_definition) if found else set()
        files = _file_names(text) if found else {}
        for cand in (f.candidate for f in found if f.reportable):
            if cand.short_form in seen:
                continue
            seen.add(cand.short_form)
            if _written_as_name(ctx.prose.source, cand.short_form) or _named_as_component(text, cand) \
                    or _in_a_path_or_code(ctx.prose.source, cand.short_form):
                continue  # 'URLMON' beside urlmon.dll, 'the UCCAPILOG file', `…\MICROSOFT\APPMODEL`: a name in capitals
            if cand.short_form in names or _called_as_function(text, cand.short_form):
                continue  # 'the SUMIF, COUNTIF and COUNTBLANK functions', '=SUMIF(': names of things, not abbreviations
            if cand.short_form in defined:
                continue  # a list item 'OLCA: Outlook Custom Action' is the page's own glossary
            def explained(form: str) -> bool:
                return any(self._explained(text, c) or _heading_spelt_out(ctx, c) or self.tables.defines(ctx.prose, c.start, c.end)
                           for c in by_form.get(form, ()))

            if _introduced_with_file_name(text, files, cand.short_form) or explained(cand.short_form):
                continue
            # a plural in capitals, "the selected SPNS", of a short form the page explains: "service principal name (SPN)"
            if cand.short_form.endswith("S") and len(cand.short_form) >= 3 and explained(cand.short_form[:-1]):
                continue
            matches.append(Match(cand.start, cand.end, self._values(cand.short_form)))
        return matches

    def _values(self, short_form: str) -> dict[str, str]:
        entry = self.glossary.get(short_form, {})
        expansion = entry.get("expansion", "")
        plain = entry.get("plain", "")
        # Which wording of the rule's suggestion fits what the glossary knows (suggestion_variants).
        variant = "" if expansion and plain else "without_plain" if expansion else "unknown"
        return {"short_form": short_form, "expansion": expansion, "plain": plain, "suggestion_variant": variant}

    # -- candidates ------------------------------------------------------------------------
    def _candidates(self, words: list[Word], ctx: DocContext) -> list["_Found"]:
        text = ctx.prose.text
        caps_runs = _caps_run_lengths(words, text)
        not_prose = Spans(self._labels_and_literals(ctx))
        quoted_texts = [text[b.start:b.end] for b in ctx.prose.blocks if b.kind in ctx.skip_blocks]
        # an acronym that is the name in a web or e-mail address on the page names that organisation
        # or service ("his *CCC* account (*…@jabber.ccc.de*)"): read as a name, like a brand
        source = ctx.prose.source  # (the prose leaves addresses out)
        address_names = _address_names(source) if "@" in source or "://" in source else frozenset()
        found = []
        for i, word in enumerate(words):
            if word.text.islower():
                continue  # no capital letter: neither an acronym nor a glossary form (keys are upper case)
            if not ctx.own_words(word.start):
                continue  # someone else's words (a quote block: "> ...", a block quote)
            if _placeholder(text, word) or _mask(word.text):
                continue
            if quoted_texts and _repeats_quote(text, word, quoted_texts):
                continue  # 'An OLE registration error occurred' message, cited from the quote
            for cand in self._from_word(word):
                if caps_runs[i] >= self.shouting_run and self._mostly_ordinary(words, i, caps_runs):
                    continue
                if cand.short_form.upper() in self.code_words or self._code_after(text, cand):
                    continue
                # a label, a quoted message, a log record or a name: never reported, but a
                # definition written inside one still explains the other uses
                found.append(_Found(cand, not not_prose.covers(cand.start, cand.end)
                                    and cand.short_form.upper() not in address_names))
        return found

    def _code_after(self, text: str, cand: Candidate) -> bool:
        after = text[cand.end:cand.end + 40]
        return any(p.match(after) for p in self.code_after)

    def _labels_and_literals(self, ctx: DocContext) -> list[tuple[int, int]]:
        """Prose spans the reader must match as written: labels, quoted text, log records, names."""
        text = ctx.prose.text
        spans = self.labels.spans(ctx.prose)
        if self.known_names is not None:
            spans += [(m.start(), m.end()) for m in self.known_names.finditer(text)]
        spans += self.records.spans(ctx.prose)
        return spans

    def _from_word(self, word: Word) -> list[Candidate]:
        token = word.text
        if token in self.glossary and token.upper() not in self.known:
            return [Candidate(word.start, word.end, token)]
        if _SLASHED.match(token) and not self._is_identifier(token):
            out, pos = [], word.start
            for part in token.split("/"):
                cand = self._candidate(pos, pos + len(part), part)
                if cand:
                    out.append(cand)
                pos += len(part) + 1
            return out
        if _NOT_PROSE.search(token) or self._is_identifier(token):
            return []
        if "-" in token or "–" in token:
            if token.upper() in self.known or token.upper() in self.glossary:
                cand = self._candidate(word.start, word.end, token)
                return [cand] if cand else []
            parts = re.split(r"[-–]", token)
            if _code_compound(token, parts):
                return []
            if (len(parts) >= 2 and _ACRONYM.match(parts[0]) and parts[0] not in self.glossary
                    and all(_TITLE_WORD.match(p) for p in parts[1:])):
                return []  # a network, group or share name: 'NBE-Staff', 'SG-Finance' (not 'WPA2-Enterprise')
            if (len(parts) >= 3 and all(_ACRONYM.match(p) or _TITLE_WORD.match(p) for p in parts)
                    and sum(bool(_TITLE_WORD.match(p)) for p in parts) >= 2):
                return []  # a group or role name with the acronym inside: 'Finance-AP-Modify', 'Sales-UK-Read'
            out, pos = [], word.start
            for part in parts:
                lead = len(part) - len(part.lstrip("([{"))
                core = part.strip("([{}])")
                cand = self._candidate(pos + lead, pos + lead + len(core), core) if core else None
                if cand:
                    out.append(cand)
                pos += len(part) + 1
            return out
        cand = self._candidate(word.start, word.end, token)
        return [cand] if cand else []

    def _candidate(self, start: int, end: int, token: str) -> Candidate | None:
        if token.upper() in self.known:
            return None
        if token in self.glossary:
            return Candidate(start, end, token)
        m = _ACRONYM.match(token)
        if not m:
            return None
        sf = m.group("sf")
        if sf.upper() in self.known or sf in self.units or self._is_identifier(sf):
            return None
        letters = sf.lstrip("0123456789")
        if letters in self.units and letters != sf:
            return None  # 16GB
        digits = len(_DIGITS.findall(sf))
        if digits > 1 and sf not in self.glossary:
            return None  # model numbers and codes
        if sf not in self.glossary and self._ordinary(sf):
            return None
        return Candidate(start, start + len(sf), sf)

    def _is_identifier(self, token: str) -> bool:
        return self._any_identifier.search_any(token)

    def _ordinary(self, word: str) -> bool:
        return is_ordinary_word(word, self.ordinary_zipf, self.long_word_zipf)

    def _mostly_ordinary(self, words: list[Word], i: int, runs: list[int]) -> bool:
        here, width = words[i].position, runs[i]
        run = [j for j in range(max(0, i - width), min(len(words), i + width))
               if runs[j] == width and here - width <= words[j].position < here + width]
        caps = [words[j].text for j in run if _CAPS_WORD.match(words[j].text)]
        ordinary = [w for w in caps if len(w) == 1 or self._ordinary(w.strip("'’"))]
        return 2 * len(ordinary) >= len(caps)

    # -- explained? ------------------------------------------------------------------------
    def _explained(self, text: str, cand: Candidate) -> bool:
        after = text[cand.end:cand.end + 160]
        after = re.sub(r"^(s|'s|’s|'|’)", "", after)  # a plural or possessive: "(UPSs)", "(UPS')"
        before = text[max(0, cand.start - 200):cand.start]
        if self._any_gloss_after.search_any(after) and not self.clause_after.opens(after):
            return True
        if self._any_gloss_before.search_any(before):
            return True
        if self.gloss_around.explains(text, cand.start, cand.end):
            return True
        for pattern in self.long_form_after:
            m = pattern.search(after)
            if m and _long_form(cand.short_form, m.group("long")):
                return True
        # "Long Form (SF)", "long form [SF]", "long form (SF; …)", also a short form of more
        # than one word: "Active Directory Domain Services (AD DS)", "… Editor (ADSI Edit)"
        m_open = re.search(r"[(\[](?:\s*or\s+)?((?:[A-Z][\w.-]*\s+){0,2})$", before)
        # (also "Known Folder Move (KFM for short)", "(or SSPR for short)")
        m_close = re.match(r"^s?((?:\s+[A-Z][\w.-]*){0,2})(?:\s*,?\s+for\s+short)?(\s*[)\];,:]|\s*=)", after)
        if m_open and m_close:
            window = _clause_before(before[:m_open.start()])
            letters = "".join(w[0] for w in m_open.group(1).split()) + cand.short_form + "".join(
                w[0] for w in m_close.group(1).split())
            if window and (_long_form(letters, window) or len(window.split()) >= 2):
                return True
            # one word that agrees in number with the short form renames it: "Add-ins (WLLs)"
            if text.startswith("s", cand.end) and not m_open.group(1) and re.fullmatch(r"[A-Za-z][a-z]+(?:-[a-z]+)?s", window):
                return True
        # "Long Form (SF number 604118)": the short form opens the brackets and more follows it; only
        # a long form whose letters spell it, and that does not hold the short form itself, defines it
        if m_open and not m_open.group(1) and re.match(r"^\s+[^()\n]{1,40}\)", after):
            window = _clause_before(before[:m_open.start()])
            if window and not _holds(window, cand.short_form) and _long_form(cand.short_form, window):
                return True
        # "(long form, SF)"
        if re.match(r"^s?[)\]]", after) and re.search(r",\s*$", before):
            inside = re.split(r"[(\[]", before)[-1].rstrip(", ")
            if _long_form(cand.short_form, inside):
                return True
        # "SF (long form)", also with a word or two between ("the MFA check (multi-factor
        # authentication - a second proof …)"); the long form ends at the first separator
        m = re.match(r"^(?:\s+[\w-]+){0,2}\s*\(([^()]{3,200})", after)
        if m:
            inside = re.split(r"[,;:–—]|\s-\s|\)", m.group(1))[0]
            # (not the short form again: "the VPN client (VPN version 4.2)" spells nothing out)
            if not _holds(inside, cand.short_form) and _long_form(cand.short_form, inside):
                return True
        return False


def _compile_all(opts: OptionReader, key: str, flags: int = 0) -> list[Any]:
    return compile_options(opts, key, ignore_case=bool(flags & re.IGNORECASE))


_FILE_IN_BRACKETS = re.compile(r"\w\s+\(\s*([A-Za-z0-9_-]{0,40})\.([A-Za-z0-9]{2,10})\s*\)")


def _file_names(text: str) -> dict[str, list[int]]:
    """Short forms a name is introduced with as its file, found in one pass over the page: the
    file's name ("Microsoft Hyperlink Library (Hlink.dll)", then HLINK), or the file type it is
    stored as, spelt by the words before it ("the Offline Address Book (.oab)", then OAB).
    Upper-case form -> where the brackets open (a type still has to be spelt by the name)."""
    out: dict[str, list[int]] = {}
    for m in _FILE_IN_BRACKETS.finditer(text):
        name, ext = m.group(1), m.group(2)
        if name:
            if 2 <= len(ext) <= 4:
                out.setdefault(name.upper(), []).append(-1)  # a file's name: no spelling needed
        else:
            out.setdefault(ext.upper(), []).append(m.start())
    return out


def _introduced_with_file_name(text: str, files: dict[str, list[int]], short_form: str) -> bool:
    for at in files.get(short_form.upper(), ()):
        if at < 0 or _long_form(short_form, _clause_before(text[max(0, at - 200):at + 1])):
            return True
    return False


def _heading_spelt_out(ctx: DocContext, cand: "Candidate") -> bool:
    """A heading spelt out by its section's first words: a heading that is only the short form, by
    words with its initials ('## UI' then 'These parameters change the user interface.'); a longer
    heading with the short form in it (an article's title, 'Error when creating a rule in OWA'), by
    capitalised words with its initials, a name ('… create a new rule in Outlook Web App'), for
    three letters or more (two initials in a row are too common to mean anything)."""
    prose = ctx.prose
    block = prose.block_at(cand.start)
    if block is None or block.kind != "heading":
        return False
    only = prose.text[block.start:block.end].strip(" #*_:").rstrip("s") == cand.short_form.rstrip("s")
    letters = [c.lower() for c in cand.short_form if c.isalpha()]
    if not only and len(letters) < 3:
        return False
    words = re.findall(r"[A-Za-z][\w'-]*", prose.text[block.end:block.end + 300])
    if not only:
        words = [w if w[0].isupper() else "" for w in words]
    return any([w[:1].lower() for w in words[i:i + len(letters)]] == letters for i in range(len(words)))


_NUMBERED = re.compile(r"([A-Z]{2,})(\d{1,3})")


def _numbered_series(found: list["_Found"], glossary: Mapping[str, Any]) -> set[str]:
    """Short forms that end in a number and come in a series on the page ('PFMBX2', 'PFMBX3'; 'SRV1',
    'SRV2'): numbered names of mailboxes, servers or rooms, not abbreviations to spell out. A glossary
    entry ('WPA2', 'MP3') is not a series."""
    numbers: dict[str, set[str]] = {}
    for f in found:
        sf = f.candidate.short_form
        m = _NUMBERED.fullmatch(sf)
        if m and sf not in glossary:
            numbers.setdefault(m.group(1), set()).add(m.group(2))
    return {f.candidate.short_form for f in found
            if (m := _NUMBERED.fullmatch(f.candidate.short_form)) and len(numbers.get(m.group(1), ())) >= 2}


def spelled_out(text: str, short_form: str) -> bool:
    """The text gives the short form's long form in one of the two common ways, its letters in order
    (`_long_form`): "Data Loss Prevention (DLP)" or "DLP (Data Loss Prevention)". For checks that
    only need to know whether a page has spelled an acronym out (jargon's after-acronym heads)."""
    short = re.escape(short_form)
    for m in re.finditer(rf"\(\s*{short}s?\s*\)", text):
        if _long_form(short_form, _clause_before(text[max(0, m.start() - 200):m.start()])):
            return True
    for m in re.finditer(rf"\b{short}s?\s*\(([^()\n]{{3,200}})\)", text):
        inside = re.split(r"[,;:–—]|\s-\s", m.group(1))[0]
        if not _holds(inside, short_form) and _long_form(short_form, inside):
            return True
    return False


def _holds(text: str, short_form: str) -> bool:
    """The short form itself as a word of `text`, in any case: such a text cannot be its long form
    ('the DFS path (\\\\corp.example\\dfs\\Festival)' names a folder, it spells nothing out)."""
    return re.search(r"\b" + re.escape(short_form) + r"\b", text, re.IGNORECASE) is not None


def _long_capitals(short_form: str) -> bool:
    """Six capital letters or more: long enough that a name set in capitals is likelier than an
    abbreviation (short acronyms share their letters with words: 'PIN' and 'pin')."""
    return len(short_form) >= 6 and short_form.isalpha() and short_form.isupper()


def _written_as_name(source: str, short_form: str) -> bool:
    """A long all-capitals form that the document also writes in lower or mixed case (urlmon.dll,
    UccApiLog) is a component, file or log name set in capitals, not an abbreviation. Six letters
    or more: short acronyms share their letters with words ('PIN' and 'pin')."""
    if not _long_capitals(short_form):
        return False
    pattern = re.compile(r"(?<![A-Za-z])" + re.escape(short_form) + r"(?![A-Za-z])", re.IGNORECASE)
    return any(not m.group().isupper() and not _HOST_LABEL.match(source, m.end())
               for m in itertools.islice(pattern.finditer(source), 200))


# the rest of a host name after its first label ("radius" in radius.example.org): host names are written in
# lower case whatever they are named after, so they say nothing about how the page writes the word
# (not a file's name with its extensions: urlmon.dll.mui)
_HOST_LABEL = re.compile(r"(?!\.(?:dll|exe|mui|sys|log|txt|xml|ini|dat|cab|msi|ps1|bat|cmd|json|config|reg)\b)"
                         r"(?:\.[A-Za-z0-9-]{1,63}){2,}\b")


_CODE_SPAN = re.compile(r"`[^`\n]{1,300}`")


def _in_a_path_or_code(source: str, short_form: str) -> bool:
    """A long all-capitals form (six letters or more, as in `_written_as_name`) that the document
    also writes as a step of a registry or file path (`HKEY_LOCAL_MACHINE\\SOFTWARE\\MICROSOFT\\APPMODEL`)
    or inside inline code: a literal the reader types or finds, not an abbreviation. A shorter one
    counts when the page's code writes it as a word of a command in capitals (`UID SEARCH`)."""
    if not _long_capitals(short_form):
        # a shorter one only as a word of a command in capitals the page writes as code: `UID SEARCH`, `RCPT TO`
        sf = re.escape(short_form)
        command = re.compile(r"(?<![A-Za-z0-9])(?:" + sf + r"[ \t]+[A-Z]{2,}|[A-Z]{2,}[ \t]+" + sf + r")(?![A-Za-z0-9])")
        return any(command.search(m.group()) for m in itertools.islice(_CODE_SPAN.finditer(source), 500))
    if re.search(r"[\\/]" + re.escape(short_form) + r"(?![A-Za-z0-9])", source):
        return True
    token = re.compile(r"(?<![A-Za-z0-9])" + re.escape(short_form) + r"(?![A-Za-z0-9])")
    return any(token.search(m.group()) for m in itertools.islice(_CODE_SPAN.finditer(source), 500))


_COMPONENT_NOUN = re.compile(r"[ \t]+(?:API|APIs|DLL|file|files|log|logs|library|component|module|process|folder|directory)\b")


def _named_as_component(text: str, cand: "Candidate") -> bool:
    """Six capitals or more named as a file, log, library or API ('the client UCCAPILOG file', 'the
    URLMON API'): a component's name. Real abbreviations that long are rare; 'the VPN log' stays."""
    sf = cand.short_form
    return _long_capitals(sf) and bool(_COMPONENT_NOUN.match(text, cand.end))


_NAME = r"[A-Z][A-Z0-9]{1,}"
_ENUMERATION = re.compile(r"(?<![\w-])" + _NAME + r"(?:(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)"
                          + _NAME + r"(?![\w-])){2,}")
_MEMBER = re.compile(_NAME)


def _kind_patterns(kinds: list[str]) -> tuple[Any, Any] | None:
    """From the pack's `name_list_kinds` (nouns such as 'functions'): the text right after an
    enumeration that names its kind ('… COUNTBLANK functions'), and the text before one that
    introduces examples of a kind ('functions, such as …')."""
    if not kinds:
        return None
    alternatives = literal_alternation(kinds)
    return (re.compile(r"[ \t]+(?:" + alternatives + r")\b", re.IGNORECASE),
            re.compile(r"(?:" + alternatives + r")\b[^.\n]{0,20}?\b(?:such as|like|including|e\.g\.)[\s,:]*$", re.IGNORECASE))


def _names_in_lists(ctx: DocContext, kinds: tuple[Any, Any] | None) -> set[str]:
    """Short forms listed as names of things: an enumeration of three or more capitalised names
    that the text calls by a kind noun of the pack's `name_list_kinds` ('the SUMIF, COUNTIF, and
    COUNTBLANK functions', 'functions such as DSUM, DGET and DMAX'), or whose every member is set
    in bold or italics (a list of names to match on screen). One pass over the text."""
    text = ctx.prose.text
    emphasised: Spans | None = None
    names: set[str] = set()
    for m in _ENUMERATION.finditer(text):
        members = list(_MEMBER.finditer(text, m.start(), m.end()))
        kind = kinds is not None and (kinds[0].match(text, m.end()) or kinds[1].search(text, max(0, m.start() - 60), m.start()))
        if not kind:
            kind = _variants_of_one_name([w.group() for w in members])
        if not kind:
            if emphasised is None:
                emphasised = Spans([(mk.start, mk.end) for mk in ctx.prose.marks if mk.kind in ("strong", "emphasis")])
            kind = all(emphasised.covers(w.start(), w.end()) for w in members)
        if kind:
            names.update(w.group() for w in members)
    return names


def _variants_of_one_name(members: list[str]) -> bool:
    """An enumeration whose members are mostly one name with a letter or two added ('VAR, VARA,
    VARP, or VARPA', 'STDEV, STDEVA, STDEVP'): variants of a function or command, named, not
    abbreviations to spell out (a list of acronyms, 'DNS, DHCP and NTP', shares no such stem)."""
    names = set(members)

    def extends(word: str) -> bool:  # one set lookup per cut: linear in the enumeration's length
        return any(word[:-cut] in names and word[-cut:].isalpha() for cut in (1, 2) if len(word) - cut >= 2)
    return 2 * sum(map(extends, members)) >= len(members)


def _called_as_function(text: str, short_form: str) -> bool:
    """Written as a function call somewhere ('=SUMIF(A1:A8, …)'): a formula's function name."""
    return re.search(r"(?<![\w.-])" + re.escape(short_form) + r"\(", text) is not None


_GLOSSARY_ITEM = re.compile(r"\s*((?:[A-Za-z0-9&/-]+[ \t]*,[ \t]*)*[A-Za-z0-9&/-]+)[ \t]*[:=–—][ \t]+"
                            r"([A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)+)")
# The same item with a name of several words, a short form in brackets or two names joined by 'and'
# ('Exchange ActiveSync (EAS): A protocol that's used by …', 'POP3 and IMAP4: Protocols that are used
# by …'), only when the meaning reads as a definition (the pack's `glossary_definition`): 'Turn on VPN:
# go to Settings' is a step, not a gloss. (The names are one bounded run of characters up to the colon,
# tried once at the item's start: linear.)
_GLOSSARY_ITEM_NAMED = re.compile(r"\s*([A-Za-z0-9&/-][A-Za-z0-9&/(), \t-]{0,60}?)[ \t]*:[ \t]+([^\n]+)")


def _defined_in_lists(ctx: DocContext, records: Records, definition: Any = None) -> set[str]:
    """Short forms a list item defines, glossary style: 'OLCA: Outlook Custom Action', 'CAG, CaMMC:
    Associated with Clip' (the meaning in words after a colon or dash; a value that is a code or
    an identifier, 'SSID: CORP-SECURE', defines nothing; nor does what the writer did, 'SPF: added the
    sender', the pack's `done_value`), in a list of two or more such items."""
    prose = ctx.prose
    defined: set[str] = set()
    items = 0
    for block in prose.blocks:
        if block.kind != "list_item":
            continue
        m = _GLOSSARY_ITEM.match(prose.text, block.start, block.end)
        if m is None and definition is not None:
            named = _GLOSSARY_ITEM_NAMED.match(prose.text, block.start, block.end)
            m = named if named and definition.search(named.group(2)) is not None else None
        if m and not records.says_done(m.group(2)):
            items += 1
            defined.update(re.findall(r"[A-Za-z0-9&/-]+", m.group(1)))
    # One 'VPN: connect first' bullet is an instruction; a list of them is a glossary.
    return defined if items >= 2 else set()


def _words(text: str) -> Iterable[Word]:
    """The words that could matter here: every whitespace-separated word with a capital letter
    or no letters at all (an all-lower-case word is neither an acronym nor part of a run of
    capitals), with its position in the full sequence so runs stay exact."""
    for position, m in enumerate(_WORD.finditer(text)):
        raw = m.group()
        if raw.islower():
            continue  # trimming punctuation (uncased) cannot change this
        start, end = m.start(), m.end()
        while start < end and text[start] in _LEADING:
            start += 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            yield Word(start, end, text[start:end], position)


_TITLE_WORD = re.compile(r"[A-Z][a-z]+\Z")


def _code_compound(token: str, parts: list[str]) -> bool:
    """A hyphenated name or code rather than prose: two or more parts in capitals and no part in
    lower case (WKS-LDN, GRP-Tenancy-RW), or capitals with a number and no lower-case letter
    (GP-SURG-07, RC-04, PRN-CIV-2F02). 'MFA-protected' and 'WPA2-Enterprise' are prose."""
    caps_parts = [p for p in parts if p and _ACRONYM.match(p)]
    if len(caps_parts) >= 2 and not any(p.islower() for p in parts if p):
        return True
    return bool(caps_parts) and not any(c.islower() for c in token) and any(c.isdigit() for c in token)


def _mask(token: str) -> bool:
    """A format mask, the characters to fill in, not an abbreviation: runs of one capital letter,
    each at least twice and one of them three times or more ("YYYYMMDD", "DDMMYYYY"), or one letter
    four times or more ("PPPP", "XXXX"). Pairs alone are too like a real abbreviation ("MMSSPP")."""
    if len(token) < 4 or not token.isalpha() or not token.isupper():
        return False
    runs = [len(list(group)) for _, group in itertools.groupby(token)]
    return min(runs) >= 2 and max(runs) >= (3 if len(runs) >= 2 else 4)


def _placeholder(text: str, word: Word) -> bool:
    """A value to fill in: <GUID>, {PID}."""
    opening = text[word.start - 1:word.start] if word.start else ""
    return opening in ("<", "{") and text[word.end:word.end + 1] == {"<": ">", "{": "}"}[opening]


def _repeats_quote(text: str, word: Word, quoted: list[str]) -> bool:
    """The candidate and the two words either side appear word for word in a quoted block."""
    left = text.rfind(" ", 0, max(0, text.rfind(" ", 0, word.start)))
    right = text.find(" ", text.find(" ", word.end) + 1)
    window = text[left + 1:right if right > 0 else len(text)].strip()
    return len(window.split()) >= 3 and any(window in q for q in quoted)


def _caps_run_lengths(words: list[Word], text: str) -> list[int]:
    """For each word, the length of the run of consecutive all-capital words it belongs to."""
    runs = [0] * len(words)
    i = 0
    while i < len(words):
        if not _CAPS_WORD.match(words[i].text.replace("-", "")):
            i += 1
            continue
        j = i
        while j + 1 < len(words) and words[j + 1].position == words[j].position + 1 \
                and _CAPS_WORD.match(words[j + 1].text.replace("-", "")) \
                and not _SENTENCE_END.search(text[words[j].end - 1:words[j + 1].start]):
            j += 1
        for k in range(i, j + 1):
            runs[k] = j - i + 1
        i = j + 1
    return runs


def _clause_before(text: str) -> str:
    """The words before a '(' back to the start of the sentence or clause."""
    cut = max(text.rfind(". "), text.rfind("\n"), text.rfind(": "), text.rfind("? "), text.rfind("! "))
    return text[cut + 1:].strip() if cut >= 0 else text.strip()


def _long_form(short_form: str, candidate: str) -> str | None:
    """Schwartz–Hearst: the shortest tail of `candidate` in which the letters of the short
    form appear in order, the first one at the start of a word."""
    sf = short_form.lower()
    words = candidate.split()
    words = words[-min(len(sf) + 5, len(sf) * 2):]
    lf = " ".join(words).lower()
    s, l = len(sf) - 1, len(lf) - 1
    while s >= 0:
        c = sf[s]
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (lf[l] != c or (s == 0 and l > 0 and lf[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    start = lf.rfind(" ", 0, l + 1) + 1
    found = lf[start:]
    return found if len(found.split()) >= 1 and len(found) > len(sf) else None


CHECK = AcronymCheck
