"""`check: jargon` — IT terms from a lexicon that the document never explains.

Each lexicon entry (a word or a phrase) is matched on lemmas, so inflections count
('re-imaged' finds 're-image'), and on its written form in lower case (a lone phrase can be
tagged oddly). A term is reported once per document, at its first use, unless one of its uses
is glossed: gloss cues are regular expressions in the pack, tried on the text right after and
right before the term (`…, which is…`, `(the …)`, `– that is, …`, `This means…`).

Options:
  lexicon:       name of a mapping under `lists:` — term: plain words
                 (or term: {plain: ..., replacement: ...})
  terms:         the same mapping written inline in the rule (added to the lexicon)
  carriers:      sentence templates with {term}, used to lemmatise each term in context as well
                 as alone (e.g. "We will {term} it.")
  gloss_after:   regular expressions tried on the text right after the term
  gloss_before:  regular expressions tried on the text right before the term
  gloss_around:  regular expressions tried on the text around the term, the term itself written
                 as @@ ("you use an @@ to receive messages": what it is for, said around it)
  label_before / label_after: names of lists of patterns that make bold or italic text a label
                 (see labels.py); displayed_text: the same for the line that introduces a
                 displayed message, whose whole-line bold lines are the message. Labels, link
                 text (an article's title) and text in double
                 quotes never count: the reader must match them as written. Nor does a term in
                 Title Case that is part of a longer name ("Active Directory" in "Active
                 Directory Users and Computers", "Registry" in "Registry Editor"), outside headings.
  clause_openers / clause_verbs / clause_relatives / clause_instructions: names of word lists; ", the laptop will …"
                 after a term opens a clause and glosses nothing (commlint/checks/glosses.py)
  tool_open_before: name of a list of regular expressions tried on the text before a term whose
                 entry says `reader_tool: true` ('PowerShell'), in a reply: a match ('Open ', 'in the
                 ') makes it the program the reader works in, not jargon; tool_name_kinds: the
                 document kinds where it always is (a KB article's reader follows its steps)
  program_file:  regular expressions whose group 1 is a program's name written as its file
                 ('Procmon.exe'): in the tool_name_kinds, a term the page also gives that way is a name
  file_name:     regular expressions a term's written form matches in full when it is a file's name
                 ('Ntuser.dat', 'web.config'): in the tool_name_kinds, a literal the reader matches as written
  camel_case_name_after: regular expressions tried right after a term written in CamelCase ('AppData'); a
                 match (' folder', ' feature') makes it the name of that thing on the reader's screen
  everyday_codes / everyday_numbers: names of word lists and a regular expression for the capitals and
                 numbers ('IT', '2nd') that do not make a sentence technical for `sense: technical` entries
  table_definition_words: a row whose first cell holds the term and whose later cell has at least
                 this many words defines it (a definition table; glosses.TableDefinitions; 0: off)
  joined_prefixes: prefixes ('auto', 're') after which a hyphenated term ('auto-enrolment') is also
                 found written as one word ('autoenrolment'), as writers type it
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from ..nlp import analysis_cache
from ..nlp.frequency import is_ordinary_word
from ..nlp.tokens import sentence_of
from ..patterns import PatternSet, compile_options, compile_pattern
from ..rulepack.options import OptionReader
from .acronym import spelled_out
from .base import Check, DocContext, Match, PackContext, spans_overlap
from .glosses import ClauseAfter, GlossAround, TableDefinitions
from .labels import Labels, Records, Spans, emphasis, named_patterns

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc


_CAMEL_CASE = re.compile(r"[A-Z][a-z]+[A-Z][A-Za-z]*")  # 'AppData', 'AutoArchive'; not 'NTUSER' or 'Registry'
_HEADING_WORD = re.compile(r"[A-Za-z][\w'’-]*")  # a heading's words, for _title_case_line
# The word right after a term (same line), and the word right before it; group 1 holds what
# precedes that word when it starts a sentence or a line (where every word is capitalised).
_TITLE_CASE = re.compile(r"^[A-Z][a-z]")  # 'Editor', 'Windows'; not an acronym ('DBX') or a number
_NEXT_WORD = re.compile(r"[ \t]+([\w][\w.-]*)")
# A Title Case word and a version number just before a term: "Framework 4 ", "Office 2010 ".
_VERSIONED_NAME = re.compile(r"[ \t][A-Z][a-z][\w.-]*[ \t]+\d[\d.]*[ \t]+\Z")
# The word before a term, ending in a letter or digit: "Friday." ends a sentence, it does not run on
# into the next one's first word ("…on Friday. Autodiscover is…" is no name).
_PREVIOUS_WORD = re.compile(r"(?:(\A|\n|[.!?:])\s*|[ \t])([\w](?:[\w.-]*\w)?)[ \t]+\Z")

# Lemma spellings of one term kept as phrase patterns (the product of each word's lemma forms).
MAX_LEMMA_FORMS = 64


@dataclass(frozen=True)
class Term:
    text: str
    plain: str
    replacement: str
    lemmas: bool = True  # match inflections too (False: only as written)
    unless: tuple[str, ...] = ()  # lower-case phrases around the term that make it ordinary English
    # Written in Title Case it names a program the reader opens ('open Event Viewer', 'a Command
    # Prompt window'): a name, not jargon. In lower case ('at a command prompt') it is still jargon.
    title_case_is_name: bool = False
    # An everyday word that is jargon only in its IT sense ('roam', 'trunk'): reported only in a
    # sentence that is technical already (another lexicon term, or an acronym or a code such as
    # '802.1X' or '5GHz'): 'the laptop keeps roaming between APs', not 'we roamed the old town'.
    technical_sense: bool = False
    # A program the reader opens and works in ('PowerShell'): in a KB article, whose reader follows
    # the steps, or right after an instruction to open or work in it ('Open PowerShell as
    # administrator', 'in PowerShell, run …'), it is the name of that program, not jargon. Reported
    # where the writer reports using it ('I reset it via PowerShell').
    reader_tool: bool = False
    # A word whose verb is plain English ('route all mail through the office'): reported only where
    # it is not used as a verb ('a static route', 'the route is missing').
    noun_only: bool = False
    # The words that are one capital letter ('A record'), by position: found only as written, since
    # lower case ('a record', 'a recorded message') is ordinary English.
    capitals: tuple[tuple[int, str], ...] = ()
    # An everyday word that is jargon as the head of a compound after an acronym ('SCEP connector',
    # 'VPN profile', 'DMARC policy'): found only right after an acronym the reader is not known to
    # know (`sense: after-acronym`), and reported with it, as one term.
    after_acronym: bool = False
    # Lower-case phrases that, anywhere in the term's sentence, show what it is: 'right-click' for
    # 'context menu' ("the context menu when you right-click a file"): the sentence explains it.
    explained_by: tuple[str, ...] = ()


def _whole_phrases(text: str, phrase: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """Where a lower-case phrase occurs in text[lo:hi], in any case, as whole words only ('heart' is no
    phrase around 'heartbeat'): (start, end) offsets into `text`."""
    window = text[lo:hi].lower()
    pos = window.find(phrase)
    while pos >= 0:
        start, end = lo + pos, lo + pos + len(phrase)
        if (start == 0 or not text[start - 1].isalnum()) and (end >= len(text) or not text[end].isalnum()):
            yield start, end
        pos = window.find(phrase, pos + 1)


# The end of a sentence, or of a line, around a term: where `explained_by` stops looking.
_SENTENCE_EDGE = re.compile(r"[.!?]\s|\n")
_SENTENCE_REACH = 300  # characters either side of a term that `explained_by` reads at most


# An acronym before an `after-acronym` head: 'SCEP', 'VPNs', 'E3' (not an ordinary word in capitals:
# 'STAFF', 'TOP', 'UNION').
_ACRONYM_WORD = re.compile(r"[A-Z][A-Z0-9]{1,6}s?")


def _singular(acronym: str) -> str:
    """'VPNs' → 'VPN'; 'SMTP', 'IIS' stay (a plural 's' is lower case)."""
    return acronym[:-1] if acronym.endswith("s") and len(acronym) > 2 else acronym


# An acronym or a code in a sentence ('APs', '802.1X', '5GHz', 'DHCP'); the pack names the everyday
# ones ('IT', 'OK', '2nd', '10am': options `everyday_codes`, `everyday_numbers`).
_CODE = re.compile(rf"(?:{_ACRONYM_WORD.pattern}|[0-9]+(?:\.[0-9]+)*[A-Za-z][A-Za-z0-9]*)")


def _has_code(sent: Any, span: Any, everyday: frozenset[str], everyday_number: Any) -> bool:
    """An acronym or a code elsewhere in the sentence, in a sentence that is not itself in capitals."""
    codes = [t for t in sent if not (span.start <= t.i < span.end) and _CODE.fullmatch(t.text)
             and t.text.upper() not in everyday and not (everyday_number is not None and everyday_number.fullmatch(t.text))]
    if not codes:
        return False
    letters = [t for t in sent if t.is_alpha]
    return sum(t.is_upper for t in letters) * 2 < len(letters)  # a shouted sentence is not technical


def _join_overlaps(kept: list[Any], spans: list[Any], term_of: dict[tuple[int, int], str]) -> tuple[list[Any], set[tuple[int, int]]]:
    """Two terms that share words run together are one compound: 'stale session' and 'session
    cookie' in 'a stale session cookie' are reported as 'stale session cookie', named by the term
    that ends it (its head noun), not as the first of them with the second lost. Each kept span is
    widened by the spans `filter_spans` dropped that straddle one of its edges, unless that would run
    into another kept span."""
    bounds = [(k.start, k.end) for k in kept]
    dropped = [s for s in spans if (s.start, s.end) not in bounds]
    out, compounds = [], set()
    for k in kept:
        start, end, head = k.start, k.end, (k.start, k.end)
        for span in dropped:
            if span.start < start and k.start < span.end < k.end:
                start = span.start
            elif span.end > end and k.start < span.start < k.end:
                end, head = span.end, (span.start, span.end)
        if (start, end) != (k.start, k.end) and not any(
                spans_overlap(start, end, s, e) for s, e in bounds if (s, e) != (k.start, k.end)):
            term_of.setdefault((start, end), term_of[head])
            compounds.add((start, end))
            out.append(k.doc[start:end])
        else:
            out.append(k)
    return out, compounds


def _is_determiner(token: Any) -> bool:
    """An article or possessive before a noun ('the', 'a', 'your', 'our')."""
    return token.pos_ == "DET" or token.tag_ in ("DT", "PRP$", "WP$")


def _determiner_before(doc: Any, start: int) -> bool:
    """Whether the noun phrase the term ends opens with a determiner: 'your DNS cache', 'the nightly
    compliance check' (adjectives, numbers and nouns may stand between)."""
    i = start - 1
    while i >= start - 4 and i >= 0 and (doc[i].pos_ in ("ADJ", "ADV", "NUM", "NOUN", "PROPN")
                                         or doc[i].tag_ in ("VBG", "VBN")):  # 'your existing …', 'the shared …'
        i -= 1
    return i >= 0 and _is_determiner(doc[i])


@dataclass(frozen=True)
class Use:
    start: int  # absolute prose offsets
    end: int
    term: str
    # How the words around it read, for a replacement that reads as English once applied:
    after_determiner: bool = False  # 'your DNS cache', 'a hotfix'
    modifier: bool = False  # 'a DHCP lease conflict': the term describes the noun after it
    compound: bool = False  # two terms run together ('stale session' + 'session cookie'): no one-click swap


class JargonCheck(Check):
    name = "jargon"
    placeholders = frozenset({'term', 'plain', 'replacement'})
    base_needs = frozenset({"tokens", "lemmas"})

    def __init__(self, opts: OptionReader, ctx: PackContext) -> None:
        super().__init__(opts, ctx)
        self.terms: dict[str, Term] = {}
        name = opts.str("lexicon")
        if name is not None:
            values = ctx.named_list(name)
            if not isinstance(values, Mapping):
                raise opts.error("lexicon", f"no mapping named '{name}' is defined under 'lists:'",
                                 "define it as term: plain words in a pack file")
            self._add_terms(opts, "lexicon", values)
        inline = opts.raw("terms")
        if inline is not None:
            if not isinstance(inline, Mapping):
                raise opts.error("terms", "'terms' must be a mapping of term: plain words", "write e.g. terms: {re-image: wipe and reinstall}")
            self._add_terms(opts, "terms", inline)
        if not self.terms:
            raise opts.error(None, "no jargon terms", "add 'lexicon:' (a list name) or 'terms:'")
        self.carriers = opts.str_list("carriers")
        for carrier in self.carriers:
            if "{term}" not in carrier:
                raise opts.error("carriers", f"carrier {carrier!r} has no {{term}}", "write e.g. 'We will {term} it.'")
        self.gloss_after = _compile_all(opts, "gloss_after")
        self.gloss_before = _compile_all(opts, "gloss_before")
        self._any_gloss_after = PatternSet(self.gloss_after)  # "does any occur": one RE2 pass
        self._any_gloss_before = PatternSet(self.gloss_before)
        self.gloss_around = GlossAround(opts)
        self.labels = Labels(opts, ctx)
        # Option `tool_open_before`: name of a list of regular expressions tried on the text before a
        # `reader_tool` term in a reply; a match is an instruction to open or work in it ('Open ',
        # 'in the ') and makes it the name of the program the reader uses.
        self.tool_open_before = named_patterns(opts, ctx, "tool_open_before")
        # Option `tool_name_kinds`: document kinds whose reader follows the steps ('kb'), where a
        # `reader_tool` term is always the program's name.
        self.tool_name_kinds = frozenset(opts.str_list("tool_name_kinds"))
        # Option `joined_prefixes`: a term made of one of these prefixes, a hyphen and a word ('auto-enrolment',
        # 're-imaged') is also found run together ('autoenrolment', 'reimaged').
        prefixes = [re.escape(p.lower()) for p in opts.str_list("joined_prefixes")]
        self.joinable = re.compile(f"(?:{'|'.join(prefixes)})-[a-z]{{3,}}") if prefixes else None
        # Option `program_file`: regular expressions whose group 1 is a program's name written as its file
        # ('Procmon.exe'); in those kinds, a term the page also gives that way is the program's name.
        self.program_file = compile_options(opts, "program_file", ignore_case=True)
        # Option `file_name`: regular expressions a term's written form matches in full when it is a file's
        # or a command's name ('Ntuser.dat', 'web.config'); in the tool_name_kinds (a KB article, whose reader
        # follows its steps) the reader matches it as written. In a reply its plain words still help.
        self.file_name = compile_options(opts, "file_name", ignore_case=True)
        # Option `camel_case_name_after`: regular expressions tried on the text right after a term written in
        # CamelCase ('AppData', 'AutoArchive'); a match (' folder', ' feature') makes it that thing's name.
        self.camel_case_name_after = compile_options(opts, "camel_case_name_after", ignore_case=True)
        self.records = Records(opts)
        self.clause_after = ClauseAfter(opts, ctx)
        self.tables = TableDefinitions(opts)
        self.everyday_codes = frozenset(w.upper() for name in opts.str_list("everyday_codes")
                                        for w in ctx.named_words(opts, "everyday_codes", name))
        number = opts.str("everyday_numbers")

        def fail(problem: str, fix: str, line: int | None) -> Exception:
            return opts.error("everyday_numbers", f"'everyday_numbers': {problem}", fix, line)

        self.everyday_numbers = compile_pattern(number, ignore_case=True, fail=fail) if number else None
        self._matcher = None
        self._term_of_key: dict[int, str] = {}
        self._concept: dict[str, str] = {}  # term → its lemmas run together ('re-imaged' ~ 'reimage')

    def _add_terms(self, opts: OptionReader, key: str, values: Mapping[str, Any]) -> None:
        for term, entry in values.items():
            lemmas, unless, title_name, technical, tool, noun_only, after_acronym = True, (), False, False, False, False, False
            explained_by: tuple[str, ...] = ()
            if isinstance(entry, str):
                plain, replacement = entry, entry
            elif isinstance(entry, Mapping) and isinstance(entry.get("plain"), str):
                extra = set(entry) - {"plain", "replacement", "match", "unless", "title_case_is_name", "sense", "reader_tool",
                                      "noun_only", "explained_by"}
                if extra:
                    raise opts.error(key, f"jargon entry '{term}' has unknown key '{sorted(extra)[0]}'",
                                     "use plain, replacement, match, unless, title_case_is_name, sense, reader_tool, noun_only, explained_by")
                if entry.get("sense", "any") not in ("any", "technical", "after-acronym"):
                    raise opts.error(key, f"jargon entry '{term}': 'sense' must be any, technical or after-acronym",
                                     "write sense: technical")
                technical = entry.get("sense") == "technical"
                after_acronym = entry.get("sense") == "after-acronym"
                title_name = entry.get("title_case_is_name", False)
                if not isinstance(title_name, bool):
                    raise opts.error(key, f"jargon entry '{term}': 'title_case_is_name' must be true or false", "write title_case_is_name: true")
                tool = entry.get("reader_tool", False)
                if not isinstance(tool, bool):
                    raise opts.error(key, f"jargon entry '{term}': 'reader_tool' must be true or false", "write reader_tool: true")
                noun_only = entry.get("noun_only", False)
                if not isinstance(noun_only, bool):
                    raise opts.error(key, f"jargon entry '{term}': 'noun_only' must be true or false", "write noun_only: true")
                plain = entry["plain"]
                replacement = str(entry.get("replacement", plain))
                if entry.get("match", "lemma") not in ("lemma", "written"):
                    raise opts.error(key, f"jargon entry '{term}': 'match' must be lemma or written", "write match: written")
                lemmas = entry.get("match", "lemma") == "lemma"
                raw_unless = entry.get("unless", [])
                if not isinstance(raw_unless, list) or not all(isinstance(u, str) for u in raw_unless):
                    raise opts.error(key, f"jargon entry '{term}': 'unless' must be a list of phrases", "write unless: [gift certificate]")
                unless = tuple(u.lower() for u in raw_unless)
                raw_explained = entry.get("explained_by", [])
                if not isinstance(raw_explained, list) or not all(isinstance(u, str) and u.strip() for u in raw_explained):
                    raise opts.error(key, f"jargon entry '{term}': 'explained_by' must be a list of phrases",
                                     "write explained_by: [right-click]")
                explained_by = tuple(u.lower() for u in raw_explained)
            else:
                raise opts.error(key, f"jargon entry '{term}' needs plain words", "write term: plain words, or term: {plain: ...}")
            text = str(term).strip()
            if text:
                capitals = tuple((i, w) for i, w in enumerate(text.split()) if len(w) == 1 and w.isupper())
                self.terms[text] = Term(text, plain, replacement, lemmas, unless, title_name, technical, tool, noun_only,
                                        capitals, after_acronym, explained_by)

    # -- compiling ---------------------------------------------------------------------------
    def compile(self, nlp: "Language") -> None:
        # Two PhraseMatchers (hash look-ups, ~constant cost per token whatever the lexicon's
        # size) rather than a token Matcher with a LEMMA-IN set per position, whose predicate
        # checks cost about twice the whole spaCy pipeline on a 500-term lexicon.
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc as SpacyDoc

        self._written = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        texts = list(self.terms)
        with_replacement = [t for t in texts if self.terms[t].replacement]
        question = {"terms": texts, "carriers": self.carriers,
                    "replacements": [self.terms[t].replacement for t in with_replacement]}
        analysis = analysis_cache.cached(nlp, "jargon", question, lambda: self._analyse(nlp, texts, with_replacement))
        lowered = {t.lower() for t in texts}
        for text, lemma_lists, concept in zip(texts, analysis["lemmas"], analysis["concepts"]):
            lemma_sets = [set(s) for s in lemma_lists]
            self._concept[text] = concept
            key = f"{self.key}:{text}"
            # a term of two or three words is also found written with hyphens ('power cycle',
            # 'the dock is power-cycled'), unless the lexicon lists that spelling itself
            parts = text.split(" ")
            hyphened = "-".join(parts) if 2 <= len(parts) <= 3 and all(p.isalpha() for p in parts) else None
            if hyphened and hyphened.lower() in lowered:
                hyphened = None
            # … and a prefixed term is also found with its hyphen dropped ('auto-enrolment' / 'autoenrolment',
            # 're-imaged' / 'reimaged'), unless the lexicon lists that spelling itself
            joined = text.replace("-", "") if self.joinable and self.joinable.fullmatch(text) else None
            if joined and joined.lower() in lowered:
                joined = None
            self._written.add(key, [nlp.make_doc(text)] + [nlp.make_doc(v) for v in (hyphened, joined) if v])
            if self.terms[text].lemmas:
                combos = list(itertools.islice(itertools.product(*(sorted(s) for s in lemma_sets)), MAX_LEMMA_FORMS))
                forms = [list(c) for c in combos]
                # the other spellings get the first lower-case lemma form only: each pattern costs memory in every worker
                lower = [c for c in combos if all(w == w.lower() for w in c)][:1]
                if hyphened:
                    forms += [[w for i, lemma in enumerate(c) for w in ((lemma,) if i == 0 else ("-", lemma))] for c in lower]
                if joined:  # 'reenrolled' → 'reenrol': one word
                    forms += [["".join(w for w in c if w != "-")] for c in lower]
                self._lemma.add(key, [SpacyDoc(nlp.vocab, words=f, lemmas=f) for f in forms])
            self._term_of_key[nlp.vocab.strings[key]] = text
        # A one-word term and its -ing form are one concept ('sandbox' / 'sandboxing', 'throttle' /
        # 'throttling'): a page that explains one has explained the other, and they are one finding.
        single = {t.lower(): t for t in texts if " " not in t and t.isalpha()}
        for low, text in single.items():
            if low.endswith("ing") and len(low) > 6:
                base = single.get(low[:-3]) or single.get(low[:-3] + "e")
                if base is not None:
                    self._concept[text] = self._concept[base]
        self._order = {text: i for i, text in enumerate(texts)}
        self._matcher = self._written
        self._opens_with_determiner = dict(zip(with_replacement, (d for d, _ in analysis["replacements"])))
        self._opens_as_noun_phrase = dict(zip(with_replacement, (n for _, n in analysis["replacements"])))

    def _analyse(self, nlp: "Language", texts: list[str], with_replacement: list[str]) -> dict[str, Any]:
        """What the tagger says about each term and replacement (JSON, cached per user by
        analysis_cache: the same lexicon and model always give the same answers)."""
        # Lemmas need the tagger, not the parser: leaving it out halves this start-up cost.
        lemma_only = [name for name in ("parser", "ner") if name in nlp.pipe_names]
        alone = list(nlp.pipe(texts, disable=lemma_only))
        in_context = [list(nlp.pipe((c.replace("{term}", t) for t in texts), disable=lemma_only))
                      for c in self.carriers]
        lemmas, concepts = [], []
        for i, text in enumerate(texts):
            words = [t.text for t in nlp.make_doc(text)]
            lemma_sets = [{w, w.lower()} for w in words]
            _add_lemmas(lemma_sets, alone[i], 0, len(text))
            for carrier, docs in zip(self.carriers, in_context):
                offset = carrier.index("{term}")
                _add_lemmas(lemma_sets, docs[i], offset, offset + len(text))
            # A capitalised first word is often tagged a proper noun, whose lemma keeps the
            # capital ("Push notifications" at the start of a sentence has lemmas Push, notification).
            lemma_sets[0] |= {w[:1].upper() + w[1:] for w in lemma_sets[0]}
            lemmas.append([sorted(s) for s in lemma_sets])
            concepts.append("".join(t.lemma_ or t.text for t in alone[i] if t.text not in "-–").lower())
        # Replacements that open with their own determiner ('the list of …', 'a quick fix'), told by
        # the tagger rather than a word list: after 'your'/'a' in the text that word is dropped.
        replacements = []
        for doc in nlp.pipe((self.terms[t].replacement for t in with_replacement), disable=lemma_only):
            if not len(doc):
                replacements.append([False, False])
                continue
            head = doc[1] if _is_determiner(doc[0]) and len(doc) > 1 else doc[0]
            # what may follow 'the'/'your' in the text: a noun phrase, not 'starting the computer …'
            replacements.append([_is_determiner(doc[0]), head.pos_ in ("ADJ", "NOUN", "PROPN", "NUM") and head.tag_ != "VBG"])
        return {"lemmas": lemmas, "concepts": concepts, "replacements": replacements}

    # -- running -----------------------------------------------------------------------------
    def run(self, doc: "Doc", ctx: DocContext) -> Iterable[Match]:
        assert self._matcher is not None, "compile() first"
        from spacy.util import filter_spans

        # Several terms can match one span ('re-imaged': written 're-imaged'?, lemma 're-image',
        # lemma 're-imaging'): the written form wins, then the term listed first in the lexicon.
        order = self._order
        found = [(start, end, 0, order[self._term_of_key[k]], self._term_of_key[k]) for k, start, end in self._written(doc)]
        found += [(start, end, 1, order[self._term_of_key[k]], self._term_of_key[k]) for k, start, end in self._lemma(doc)]
        spans = []
        term_of: dict[tuple[int, int], str] = {}
        for start, end, _, _, term in sorted(found):
            span = doc[start:end]
            spans.append(span)
            term_of.setdefault((start, end), term)
        uses: list[Use] = ctx.state.setdefault(self.key, [])
        kept, compounds = _join_overlaps(filter_spans(spans), spans, term_of)
        terms = self.terms
        # an `after-acronym` head counts only right after an acronym: 'the VPN profile', not 'your
        # profile' or 'the PDF driver' (an acronym the reader knows)
        kept = [span for span in kept if not terms[term_of[(span.start, span.end)]].after_acronym
                or self._after_acronym(doc, span.start)]
        # sentences that are technical already: another term in its IT sense only, or a code
        technical = {sentence_of(span).start for span in kept if not terms[term_of[(span.start, span.end)]].technical_sense}
        # a term's edges: a word in its IT sense right beside another term is part of that compound
        # ('loopback adapter'), whose finding already covers it: one finding for the same words
        starts, ends = {span.start for span in kept}, {span.end for span in kept}
        for span in kept:
            term = terms[term_of[(span.start, span.end)]]
            if term.noun_only and span[-1].pos_ in ("VERB", "AUX"):
                continue  # 'route all outbound mail through the office': the plain verb
            if term.capitals and not all(i < len(span) and span[i].text == w for i, w in term.capitals):
                continue  # the DNS 'A record', not 'a recorded message' or 'keep a record'
            start_char = doc[span.start - 1].idx if term.after_acronym else span.start_char
            if term.technical_sense:
                sent = sentence_of(span)
                if sent.start not in technical and not _has_code(sent, span, self.everyday_codes, self.everyday_numbers):
                    continue
                if span.start in ends or span.end in starts:
                    continue
            after = doc[span.end] if span.end < len(doc) else None
            uses.append(Use(start_char + ctx.offset, span.end_char + ctx.offset, term_of[(span.start, span.end)],
                            after_determiner=_determiner_before(doc, span.start),
                            modifier=after is not None and after.pos_ in ("NOUN", "PROPN") and not after.is_sent_start,
                            compound=(span.start, span.end) in compounds or term.after_acronym))
        return ()

    def _after_acronym(self, doc: "Doc", start: int) -> bool:
        """The word before is an acronym the reader is not known to know: 'SCEP', not 'PDF' (known),
        'STAFF' or 'UNION' (ordinary words in capitals, a heading or an SQL keyword)."""
        before = doc[start - 1] if start > 0 else None
        return (before is not None and before.whitespace_ == " " and _ACRONYM_WORD.fullmatch(before.text) is not None
                and _singular(before.text) not in self.everyday_codes and not is_ordinary_word(before.text))

    def finish(self, ctx: DocContext) -> Iterable[Match]:
        uses: list[Use] = ctx.state.pop(self.key, [])
        text = ctx.matcher_text
        labels = Spans(self.labels.spans(ctx.prose) + self.records.spans(ctx.prose))
        runs = emphasis(ctx.prose)
        own = [u for u in uses if ctx.own_words(u.start) and not self._ordinary_use(text, u) and not runs.straddles(u.start, u.end)]
        # an `after-acronym` head is plain English once its acronym is spelled out on the page: "Transport
        # Layer Security (TLS)" makes "TLS negotiation" the negotiation of something the reader has met
        spelled: dict[str, bool] = {}  # acronym → spelled out on this page
        by_concept: dict[str, list[Use]] = {}
        for use in own:
            concept = self._concept.get(use.term, use.term)
            if self.terms[use.term].after_acronym:
                acronym = _singular(text[use.start:use.end].split()[0])
                if acronym not in spelled:
                    spelled[acronym] = spelled_out(text, acronym)
                if spelled[acronym]:
                    continue
                concept = f"{acronym} {concept}"  # one term with its acronym: 'IIS log' ~ 'IIS logs', not 'SMTP log'
            by_concept.setdefault(concept, []).append(use)
        matches = []
        headings = None
        for term_uses in by_concept.values():
            if any(self._glossed(text, u) or self._explained_in_sentence(text, u) or self.tables.defines(ctx.prose, u.start, u.end)
                   for u in term_uses):
                continue  # explained somewhere, also inside a label ('a folder called "Online Archive"') or by its sentence
            if headings is None:
                headings = _heading_topics(ctx)
            if _names_a_section(term_uses[0].term, headings) or self._base_word_glossed(text, term_uses[0].term):
                continue  # a section of its own ('## Guest access'), or its base word defined ('A proxy is …')
            # a label, link text, quoted text or half of a name is left as written
            term_uses = [u for u in term_uses if not labels.covers(u.start, u.end) and not self._part_of_name(ctx, u)
                         and not self._reader_opens(ctx, u) and not self._file_name(ctx, text[u.start:u.end])
                         and not self._camel_case_name(text, u)]
            if not term_uses:
                continue
            first = min(term_uses, key=lambda u: u.start)
            term = first.term
            entry = self.terms[term]
            replacement = self._fitting_replacement(first)
            matches.append(Match(first.start, first.end, {"term": term, "plain": entry.plain, "replacement": replacement or ""},
                                 replacement))
        return sorted(matches, key=lambda m: m.start)

    def _reader_opens(self, ctx: DocContext, use: Use) -> bool:
        """A `reader_tool` term in a KB article, or after an instruction to open or work in it; or, in
        a KB article, any term the page also gives as a program file ('Double-click Procmon.exe to
        start Process Monitor': option `program_file`)."""
        if not self.terms[use.term].reader_tool:
            return ctx.kind in self.tool_name_kinds and use.term.lower() in self._program_files(ctx)
        if ctx.kind in self.tool_name_kinds:
            return True
        before = ctx.prose.text[max(0, use.start - 60):use.start]
        return any(p.search(before) for p in self.tool_open_before)

    def _file_name(self, ctx: DocContext, written: str) -> bool:
        """In a KB article, the term is written as a file's name ('Ntuser.dat'): a literal the reader matches
        (option `file_name`)."""
        return ctx.kind in self.tool_name_kinds and any(p.fullmatch(written) for p in self.file_name)

    def _camel_case_name(self, text: str, use: Use) -> bool:
        """A term written in CamelCase and followed by the kind of thing it names ('your AppData folder',
        'the AutoArchive feature'): a name on the reader's screen (option `camel_case_name_after`)."""
        written = text[use.start:use.end]
        if " " in written or not _CAMEL_CASE.fullmatch(written):
            return False
        after = text[use.end:use.end + 40]
        return any(p.match(after) for p in self.camel_case_name_after)

    def _program_files(self, ctx: DocContext) -> frozenset[str]:
        """The program names the page gives as files (lower case), read once per document."""
        key = f"{self.key}:program files"
        if key not in ctx.state:
            ctx.state[key] = frozenset(m.group(1).lower() for p in self.program_file for m in p.finditer(ctx.prose.source))
        return ctx.state[key]

    def _part_of_name(self, ctx: DocContext, use: Use) -> bool:
        """A Title Case term run on by another capitalised word: half of a product or tool name
        ('Active Directory Users and Computers', 'Registry Editor', 'Windows PowerShell'); or by a
        number: a release or an entry's name ('Cumulative Update 6', 'Event ID 2080'); or a term
        whose Title Case form names a program the reader opens ('Event Viewer', `title_case_is_name`);
        or a term whose capitalised first word ends a name before it ('Creative Cloud subscription')."""
        text = ctx.prose.text
        words = text[use.start:use.end].split()
        if not all(w[:1].isupper() for w in words):
            # 'an Adobe Creative Cloud subscription': the term's capitalised head is the tail of a name
            # (a Title Case word: 'Always On VPN profile' is a VPN profile, whatever the name before it)
            return bool(_TITLE_CASE.match(words[0])) and self._runs_on_from_name(text, use.start)
        following = _NEXT_WORD.match(text, use.end)
        if following and len(words) > 1 and following.group(1)[:1].isdigit():
            return True  # 'Event ID 27', in a heading too
        block = ctx.prose.block_at(use.start)
        if block is not None and block.kind == "heading" and _title_case_line(text[block.start:block.end]):
            return False  # Title Case headings capitalise every word ('## Use Server Mirroring')
        if len(words) > 1 and self.terms[use.term].title_case_is_name:
            return True
        if following and (_TITLE_CASE.match(following.group(1)) or (len(words) > 1 and following.group(1)[:1].isdigit())):
            return True
        return self._runs_on_from_name(text, use.start)

    @staticmethod
    def _runs_on_from_name(text: str, start: int) -> bool:
        """The word before `start` is a Title Case word in the same sentence ('Windows PowerShell'), or a
        name ends there with its version number inside it ('.NET Framework 4 Client Profile')."""
        before = text[max(0, start - 80):start]
        preceding = _PREVIOUS_WORD.search(before)
        if not preceding or preceding.group(1) is not None:
            return False  # first in its sentence or line: capitalised anyway
        return bool(_TITLE_CASE.match(preceding.group(2)) or _VERSIONED_NAME.search(before))

    def _fitting_replacement(self, use: Use) -> str | None:
        """The term's replacement as it reads in this sentence, or None when no one-click swap reads as
        English: 'your DNS cache' → 'your list of website addresses …' (the replacement's own 'the'
        dropped), while 'a DHCP lease conflict' gets advice only — a long phrase cannot describe a noun."""
        replacement = self.terms[use.term].replacement
        if not replacement:
            return None
        if use.modifier or use.compound:
            return None
        if use.after_determiner:
            if not self._opens_as_noun_phrase.get(use.term, False):
                return None  # 'the PXE boot' → 'the starting the computer …' cannot be swapped in
            if self._opens_with_determiner.get(use.term):
                rest = replacement.split(None, 1)
                return rest[1] if len(rest) == 2 else None
        return replacement

    def _ordinary_use(self, text: str, use: Use) -> bool:
        """The term sits inside one of its 'unless' phrases ('gift certificate', 'port of')."""
        for phrase in self.terms[use.term].unless:
            lo, hi = max(0, use.start - len(phrase)), use.end + len(phrase)
            if any(start < use.end and end > use.start for start, end in _whole_phrases(text, phrase, lo, hi)):
                return True
        return False

    def _explained_in_sentence(self, text: str, use: Use) -> bool:
        """One of the term's `explained_by` phrases, as whole words, in the sentence around it (read
        at most `_SENTENCE_REACH` characters either way)."""
        phrases = self.terms[use.term].explained_by
        if not phrases:
            return False
        lo = max(0, use.start - _SENTENCE_REACH)
        edges = [m.end() for m in _SENTENCE_EDGE.finditer(text, lo, use.start)]
        start = edges[-1] if edges else lo
        after = _SENTENCE_EDGE.search(text, use.end, use.end + _SENTENCE_REACH)
        end = after.start() if after else min(len(text), use.end + _SENTENCE_REACH)
        return any(next(_whole_phrases(text, phrase, start, end), None) for phrase in phrases)

    def _base_word_glossed(self, text: str, term: str) -> bool:
        """A two-word term whose first word the page defines on its own: 'A proxy is a computer that
        …' explains 'proxy server' too."""
        words = term.split()
        if len(words) != 2 or not words[0].isalpha() or len(words[0]) < 4 or words[0].isupper():
            return False
        base = re.compile(r"\b" + re.escape(words[0]) + r"\b", re.IGNORECASE)
        rest = words[1].casefold()
        for found in itertools.islice(base.finditer(text), 50):
            if text[found.end():found.end() + len(rest) + 1].strip().casefold().startswith(rest):
                continue  # the compound itself
            if _DEFINED_AS.match(text, found.end()):
                return True
            if _GLOSSARY_ENTRY.match(text, found.end()) and _LINE_OPENING.match(
                    text[text.rfind("\n", max(0, found.start() - 20), found.start()) + 1:found.start()]):
                return True
        return False

    def _glossed(self, text: str, use: Use) -> bool:
        after = text[use.end:use.end + 200]
        before = text[max(0, use.start - 200):use.start]
        if (self._any_gloss_after.search_any(after) and not self.clause_after.opens(after)) or \
                self._any_gloss_before.search_any(before):
            return True
        return self.gloss_around.explains(text, use.start, use.end)


# A definition proper (not a passing gloss) right after a word: "A proxy is a computer that …",
# "**Proxy:** a program that …", "proxy means …".
_DEFINED_AS = re.compile(r"[ \t]+(?:is|are|means|refers to)[ \t]+(?:a|an|the|any|some|what|how|where|when)\b", re.IGNORECASE)
# … or a glossary line that opens with the word: "- **Proxy:** A proxy is software that …"
_GLOSSARY_ENTRY = re.compile(r"[*_]*[ \t]*:[*_]*[ \t]+[A-Za-z][\w'-]*(?:[ \t]+[\w'-]+){2}")
_LINE_OPENING = re.compile(r"[ \t>*_•-]*\Z")  # only list and emphasis marks before it on its line
_WHAT_IS = re.compile(r"^(what(?:'s| is| are)|about|understanding)\s+(?:an?\s+|the\s+)?", re.IGNORECASE)


def _title_case_line(line: str) -> bool:
    """Every longer word of a heading is capitalised: '## Configure The Guest Network', not '# You can't start
    the User Profile Synchronization service' (sentence case, where a capital still marks a name)."""
    words = [w for w in _HEADING_WORD.findall(line) if len(w) > 3]
    return bool(words) and all(w[:1].isupper() for w in words)


def _names_a_section(term: str, headings: frozenset[str]) -> bool:
    """The term (or its plural) is a heading's whole subject: '## Guest access tokens', '## What is
    a proxy?'. A heading that only mentions it ('## Proxy settings') explains nothing."""
    folded = term.casefold()
    return any(h in (folded, folded + "s", folded + "es") for h in headings)


def _heading_topics(ctx: DocContext) -> frozenset[str]:
    """What the document's headings name, case-folded: '## Guest access', '## What is a proxy?'."""
    topics = set()
    text = ctx.prose.text
    for block in ctx.prose.blocks:
        if block.kind != "heading":
            continue
        title = " ".join(text[block.start:block.end].split()).strip(" #*_:?!.").casefold()
        if len(title) <= 80:
            topics.add(title)
            topics.add(_WHAT_IS.sub("", title))
    return frozenset(topics)


def _add_lemmas(lemma_sets: list[set[str]], doc: "Doc", start: int, end: int) -> None:
    """Add the lemmas of the tokens of doc[start:end] (character offsets) to the sets, when the
    tokenisation lines up with the term's own tokens."""
    tokens = [t for t in doc if t.idx >= start and t.idx + len(t.text) <= end]
    if len(tokens) != len(lemma_sets):
        return
    for token, lemmas in zip(tokens, lemma_sets):
        if token.lemma_:
            lemmas.add(token.lemma_)
            lemmas.add(token.lemma_.lower())


def _compile_all(opts: OptionReader, key: str) -> list[Any]:
    return compile_options(opts, key, ignore_case=True)


CHECK = JargonCheck
