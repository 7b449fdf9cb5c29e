"""The `commlint` command. Parses input, calls the API, hands the report to a reporter."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import click

from . import __version__
from .config import Settings, load_settings
from .errors import CommlintError, InputError
from .inputs import DEFAULT_MAX_BYTES, decode
from .models import AUDIENCES, KINDS, FileReport, Report, Severity
from .source import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from .linter import Linter
    from .reporters import RenderContext

F = TypeVar("F", bound=Callable[..., Any])
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITIES = [s.value for s in Severity]


def _fail(message: str) -> "click.exceptions.Exit":
    for line in message.splitlines() or [message]:
        click.echo(f"commlint: {line}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def handle_errors(func: F) -> F:
    """User mistakes → one clear message per problem on stderr and exit 2, never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CommlintError as exc:
            raise _fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _warn(message: str) -> None:
    click.echo(f"commlint: warning: {message}", err=True)


def _settings(config: str | None, rules: tuple[str, ...] = (), disable: tuple[str, ...] = (),
              fail_on: str | None = None, kind: str | None = None) -> Settings:
    settings = load_settings(config, warn=_warn)
    changes: dict[str, Any] = {}
    if rules:
        changes["rules"] = _split(rules)
    if disable:
        changes["disable"] = settings.disable + _split(disable)
    if fail_on:
        changes["fail_on"] = Severity.parse(fail_on)
    if kind:
        changes["kind"] = kind
    return settings.with_options(**changes)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="commlint")
def main() -> None:
    """Coach support replies and KB articles: unexplained acronyms and jargon,
    condescending phrasing, missing next steps and follow-up offers.

    \b
    Examples:
      commlint check reply.txt
      echo "Flush your DNS cache." | commlint check -
      commlint check --format json docs/
      commlint rules list
    """


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "-f", "output_format", default="text", show_default=True,
              help="Output format: text, concise (path:line:col: severity rule message), json, sarif, junit, github.")
@click.option("--fail-on", type=click.Choice(SEVERITIES + ["none"]), default=None,
              help="Exit 1 when a finding is at or above this severity; none: never [config fail_on, else warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (errors reading input still exit 2).")
@click.option("--fix", is_flag=True, help="Apply every finding's one direct rewording to the files (atomically), "
              "then report what is left. Files only, never standard input.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the rewordings --fix would apply as a unified diff; "
              "change nothing. Exit 1 when there is something to apply.")
@click.option("--quiet", "-q", is_flag=True, help="Print only files with findings (and the summary).")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings.")
@click.option("--stdin-filename", default=None,
              help="Name for standard input: its extension picks the format (reply.md → markdown) and it is used in the output.")
@click.option("--force-exclude", is_flag=True,
              help="Apply exclude: and .gitignore to files named on the command line too (for pre-commit and editors).")
@click.option("--min-score", type=click.IntRange(0, 100), default=None,
              help="Also exit 1 when a file scores below this [config min_score].")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None,
              help="Use this config file instead of the nearest .commlint.yaml.")
@click.option("--rules", "-r", multiple=True, help="Only these rules: ids or category prefixes, comma-separated.")
@click.option("--disable", multiple=True, help="Skip these rule ids, comma-separated.")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="What the documents are: reply (e-mail/ticket), chat (a turn in a live chat), kb [config kind, else reply].")
@click.option("--audience", type=click.Choice(AUDIENCES), default=None,
              help="Who reads the documents: end-user (not technical), it-staff (admins: IT vocabulary is not coached) [config audience, else end-user].")
@click.option("--input-format", type=click.Choice(sorted(FORMATS)), default=None,
              help="Read every input as this format instead of choosing by file extension [config input_format].")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help=f"Skip (and report) files larger than this [config max_bytes, else {DEFAULT_MAX_BYTES}].")
@click.option("--color/--no-color", default=None, help="Colour the text output [auto: only on a terminal].")
@click.option("--verbose", "-v", is_flag=True, help="Also print why each finding matters.")
@click.option("--strip-quotes/--no-strip-quotes", "strip_quoted", default=None,
              help="Leave out quoted history and the signature [config strip_quotes, else on for replies and chat, off for kb].")
@click.option("--strip-quoted/--no-strip-quoted", "old_strip_quoted", default=None, hidden=True,
              help="Old spelling of --strip-quotes.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for many files [the machine's cores].")
@click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
              help="Reuse results of unchanged files from the cache folder.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Cache folder [config cache_dir, else .commlint_cache beside the config].")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", is_flag=True,
              help="Record every current finding in the --baseline file and exit 0.")
@click.option("--no-gitignore", is_flag=True, help="Also check files that .gitignore excludes.")
@handle_errors
def check(paths: tuple[str, ...], output_format: str, fail_on: str | None, min_score: int | None, config: str | None,
          rules: tuple[str, ...], disable: tuple[str, ...], kind: str | None, audience: str | None, input_format: str | None,
          max_bytes: int | None, color: bool | None, verbose: bool, strip_quoted: bool | None,
          old_strip_quoted: bool | None, jobs: int | None,
          use_cache: bool, cache_dir: str | None, baseline: str | None, write_baseline: bool,
          no_gitignore: bool, exit_zero: bool, quiet: bool, statistics: bool, stdin_filename: str | None,
          force_exclude: bool, fix: bool = False, show_diff: bool = False) -> None:
    """Check files, folders, or - for standard input (no path: the current folder).

    Folders are walked for .md, .markdown, .html, .htm and .txt files, leaving out what
    .gitignore and the config's exclude: list say; overrides: give per-path settings.

    Exit status: 0 nothing at or above --fail-on (and no file under --min-score),
    1 findings at or above it (or a file under --min-score), 2 usage, config, rule-pack
    or input error. --exit-zero or --fail-on none: findings never exit 1.
    """
    from . import runner
    from .linter import Linter
    from .reporters import RenderContext, get_reporter
    from .suppress import directive_rules

    if write_baseline and not baseline:
        raise CommlintError("--write-baseline needs --baseline FILE (where to write it)")
    if (fix or show_diff) and "-" in paths:
        raise CommlintError("--fix and --diff work on files, not standard input: save the draft to a file first")
    if fix and show_diff:
        raise CommlintError("use --fix or --diff, not both (--diff shows what --fix would change)")
    if old_strip_quoted is not None:
        _warn("--strip-quoted / --no-strip-quoted are deprecated — write --strip-quotes / --no-strip-quotes")
        strip_quoted = old_strip_quoted if strip_quoted is None else strip_quoted
    reporter = get_reporter(output_format)
    never_fail = exit_zero or fail_on == "none"
    settings = _settings(config, rules, disable, None if fail_on == "none" else fail_on, kind)
    if audience:
        settings = settings.with_options(audience=audience)
    paths = paths or (".",)
    linter = Linter.shared(settings)
    check_selection(linter, rules, disable)
    threshold = min_score if min_score is not None else settings.min_score
    limit = max_bytes or settings.max_bytes or DEFAULT_MAX_BYTES
    files: list[FileReport] = []
    if "-" in paths:
        files.append(_check_stdin(linter, input_format or settings.input_format, kind, limit, strip_quoted, stdin_filename))
    path_args = [p for p in paths if p != "-"]
    if path_args:
        cache = runner.Cache(runner.cache_folder(settings, cache_dir)) if use_cache else None
        with _progress() as progress:
            result = runner.run(path_args, linter, fmt=input_format, kind=kind, max_bytes=limit,
                                strip_quotes=strip_quoted, jobs=jobs or runner.default_jobs(), cache=cache,
                                gitignore=not no_gitignore, on_start=progress.start, on_file=progress.advance,
                                force_exclude=force_exclude)
        for warning in result.warnings:
            click.echo(f"commlint: warning: {warning}", err=True)
        files.extend(result.report.files)
    report = Report(files=tuple(files))
    if show_diff:
        _print_diff(report)
        return
    if fix:
        if _apply_fixes(report):
            # check the rewritten files again: what is left is what the user still has to do
            cache = runner.Cache(runner.cache_folder(settings, cache_dir)) if use_cache else None
            result = runner.run(path_args, linter, fmt=input_format, kind=kind, max_bytes=limit,
                                strip_quotes=strip_quoted, jobs=jobs or runner.default_jobs(), cache=cache,
                                gitignore=not no_gitignore, force_exclude=force_exclude)
            report = Report(files=tuple(result.report.files))
    if write_baseline:
        from .baseline import write_baseline as write

        count = write(report, Path(baseline))  # type: ignore[arg-type]
        click.echo(f"commlint: recorded {count} finding{'s' if count != 1 else ''} in {baseline}", err=True)
        return
    if baseline:
        from .baseline import only_new

        report = only_new(report, Path(baseline))
    for bad in report.errors:
        click.echo(f"commlint: {bad.path}: {bad.error}", err=True)
    use_color = sys.stdout.isatty() if color is None else color
    ctx = RenderContext(rules={r.id: r for r in linter.loaded.rules}, color=use_color, verbose=verbose,
                        directive_rules=directive_rules(linter.loaded.lists),
                        fail_on=settings.fail_on, quiet=quiet,
                        config_path=str(settings.config_path) if settings.config_path else None)
    if verbose and output_format == "text":
        click.echo(f"commlint: config {settings.config_path or 'none (defaults)'}", err=True)
    if statistics:
        _print_statistics(report, ctx)
    else:
        reporter(report, sys.stdout, ctx)
    if report.errors:
        raise click.exceptions.Exit(EXIT_ERROR)
    below = [f for f in report.files if f.error is None and threshold is not None and f.score < threshold]
    if below:
        listed = ", ".join(f"{f.path} ({f.score})" for f in below[:10]) + (f" and {len(below) - 10} more" if len(below) > 10 else "")
        click.echo(f"commlint: {len(below)} file{'s' if len(below) != 1 else ''} scored below --min-score {threshold}: {listed}", err=True)
    if never_fail:
        return
    if report.findings_at_or_above(settings.fail_on) or below:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _fix_plans(report: Report) -> list[Any]:
    from .fixes import direct_replacement, plan, read_for_fix

    plans = []
    for file in report.files:
        if file.error is not None or not any(direct_replacement(f) for f in file.findings):
            continue
        try:
            text, _ = read_for_fix(Path(file.path))
        except (OSError, ValueError) as exc:
            _warn(f"{file.path}: not fixed: {exc}")
            continue
        plans.append(plan(file, text))
    return plans


def _print_diff(report: Report) -> None:
    from .fixes import unified_diff

    plans = _fix_plans(report)
    sys.stdout.write(unified_diff(plans))
    applied = sum(p.applied for p in plans)
    click.echo(f"commlint: {applied} rewording{'s' if applied != 1 else ''} would be applied in "
               f"{sum(1 for p in plans if p.applied)} file{'s' if sum(1 for p in plans if p.applied) != 1 else ''}"
               " (commlint check --fix applies them)", err=True)
    if applied:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _apply_fixes(report: Report) -> int:
    """Rewrite each file with its rewordings; returns how many were applied."""
    from .fixes import read_for_fix, write_atomically

    applied = overlapping = files = 0
    for p in _fix_plans(report):
        overlapping += p.overlapping
        if p.stale:
            _warn(f"{p.path}: {p.stale} rewording{'s' if p.stale != 1 else ''} skipped: the file changed while it was checked")
        if not p.applied:
            continue
        path = Path(p.path)
        _, bom = read_for_fix(path)
        write_atomically(path, p.after, bom)
        applied += p.applied
        files += 1
    left = f"; {overlapping} overlapping left for the next run" if overlapping else ""
    click.echo(f"commlint: fixed {applied} finding{'s' if applied != 1 else ''} in {files} file{'s' if files != 1 else ''}{left}",
               err=True)
    return applied


def _print_statistics(report: Report, ctx: "RenderContext") -> None:
    """One line per rule: how many findings, the rule, its severity and summary (most first)."""
    from collections import Counter

    counts = Counter(f.rule for r in report.files for f in r.findings)
    severity = {f.rule: f.severity.value for r in report.files for f in r.findings}
    width = max((len(rule) for rule in counts), default=0)
    for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        spec = ctx.rules.get(rule)
        summary = spec.summary if spec is not None else ""
        click.echo(f"{n:>6}  {rule:<{width}}  {severity[rule]:<8} {summary}")
    total = sum(counts.values())
    checked = sum(1 for r in report.files if r.error is None)
    click.echo(f"{total} finding{'s' if total != 1 else ''} in {checked} file{'s' if checked != 1 else ''}")


def check_selection(linter: "Linter", rules: tuple[str, ...], disable: tuple[str, ...]) -> None:
    """A rule selection that names no loaded rule is a mistake, never a silent no-op."""
    from .selection import closest, unknown_selectors

    settings = linter.settings
    pairs = [(r.id, r.category) for r in linter.loaded.rules]
    names = sorted({p for pair in pairs for p in pair})
    where_cli = {"--rules": _split(rules), "--disable": _split(disable)}
    where_cfg = f"{settings.config_path}" if settings.config_path else "the config"
    checks = [(flag, values) for flag, values in where_cli.items()]
    checks += [(f"{where_cfg}: rules", settings.rules), (f"{where_cfg}: disable", settings.disable),
               (f"{where_cfg}: severity", tuple(k for k, _ in settings.severity))]
    problems = []
    reported: set[str] = set()
    for where, values in checks:
        for sel in unknown_selectors(values, pairs):
            if sel in reported:
                continue  # a --rules/--disable value also lands in the settings: say it once
            reported.add(sel)
            near = closest(sel, names)
            hint = f"did you mean {near}?" if near else "`commlint rules list` shows them all"
            problems.append(f"{where}: unknown rule {sel!r}; {hint}")
    if problems:
        raise CommlintError("\n".join(dict.fromkeys(problems)))


class _Progress:
    """A rich progress bar on stderr when it is a terminal (and not in CI); otherwise nothing."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def __enter__(self) -> "_Progress":
        return self

    def start(self, total: int) -> None:
        if not self.enabled or total < 1:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # Until the first file is done the time goes on loading spaCy's model and compiling the
        # packs (a few seconds, in every worker): say so rather than sit at 0/N.
        columns = [TextColumn("{task.description}")]
        if total >= 2:
            columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
        self._bar = Progress(*columns, console=Console(file=sys.stderr), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("loading the language model…", total=total)
        self._started = False

    def advance(self) -> None:
        if self._bar is not None:
            if not self._started:
                self._started = True
                self._bar.update(self._task, description="checking")
            self._bar.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _progress() -> _Progress:
    return _Progress()


def _check_stdin(linter: "Linter", input_format: str | None, kind: str | None, max_bytes: int,
                 strip_quoted: bool | None = None, filename: str | None = None) -> FileReport:
    from .source import format_for_file, sniff_format

    name = filename or "<stdin>"
    data = sys.stdin.buffer.read(max_bytes + 1)
    try:
        if len(data) > max_bytes:
            raise InputError(name, f"input is over the limit of {max_bytes} bytes (raise it with --max-bytes)")
        text = decode(data, name)
        fmt = input_format or (format_for_file(filename, text) if filename else sniff_format(text))
        options = linter.settings.path_rules().options_for(Path(filename)) if filename else None
        return linter.lint_text(text, path=name, fmt=fmt, kind=kind or (options.kind if options else None),
                                strip_quotes=strip_quoted)
    except InputError as exc:
        return FileReport(name, 0, (), 0, exc.reason)


@main.command("config")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None,
              help="Use this config file instead of the nearest .commlint.yaml.")
@handle_errors
def show_config(config: str | None) -> None:
    """Print the settings in effect here: which config file, the packs, and every key's value."""
    import dataclasses

    import yaml

    from .linter import load_settings_packs

    settings = _settings(config)
    loaded = load_settings_packs(settings)
    click.echo(f"# config: {settings.config_path or 'none found (defaults)'}")
    click.echo(f"# packs: {', '.join(str(p) for p in loaded.packs)} ({len(loaded.rules)} rules)")
    values: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        if f.name in ("base_dir", "config_path"):
            continue
        value = getattr(settings, f.name)
        if f.name == "severity":
            value = {k: v.value for k, v in value}
        elif isinstance(value, Severity):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        values[f.name] = _plain(value)
    click.echo(yaml.safe_dump(values, sort_keys=False, allow_unicode=True).rstrip())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@main.group()
def rules() -> None:
    """List, explain and test the loaded rules."""


@rules.command("list")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None, help="Config file to read packs from.")
@handle_errors
def rules_list(config: str | None) -> None:
    """Every loaded rule: id, category, severity and a one-line summary."""
    from .linter import load_settings_packs

    settings = _settings(config)
    loaded = load_settings_packs(settings)
    width = max((len(r.id) for r in loaded.rules), default=10)
    for r in sorted(loaded.rules, key=lambda r: r.id):
        severity = (settings.severity_for(r.id) or r.severity).value
        off = "  (disabled)" if (r.id in settings.disable or not r.enabled) else ""
        click.echo(f"{r.id:<{width}}  {r.category:<14} {severity:<8} {r.summary}{off}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None, help="Config file to read packs from.")
@handle_errors
def rules_show(rule_id: str, config: str | None) -> None:
    """Everything about one rule: message, why it matters, what to write instead, examples."""
    from .linter import load_settings_packs

    settings = _settings(config)
    loaded = load_settings_packs(settings)
    from .rulepack.schema import generic_form
    from .selection import closest

    spec = loaded.by_id(rule_id)
    if spec is None:
        in_category = sorted(r.id for r in loaded.rules if r.category == rule_id or r.id.startswith(rule_id.rstrip(".") + "."))
        if in_category:  # a category or prefix: list its rules
            width = max(len(i) for i in in_category)
            for r in sorted((loaded.by_id(i) for i in in_category), key=lambda r: r.id):  # type: ignore[union-attr]
                click.echo(f"{r.id:<{width}}  {r.severity.value:<8} {r.summary}")  # type: ignore[union-attr]
            n = len(in_category)
            click.echo(f"\n`commlint rules show RULE` for {'one of these ' + str(n) + ' rules' if n > 1 else 'this rule'}.")
            return
        ids = [r.id for r in loaded.rules]
        best = closest(rule_id, ids)
        near = ([best] if best else []) + [i for i in ids if i != best and rule_id.split(".")[0] in i]
        hint = f"; did you mean: {', '.join(near[:5])}" if near else "; `commlint rules list` shows them all"
        raise CommlintError(f"no rule with id {rule_id!r}{hint}")
    click.echo(f"{spec.id}  ({spec.category}, {spec.severity.value}, check: {spec.check})")
    click.echo(f"defined at {spec.where}\n")
    click.echo(f"Message:     {generic_form(spec.message)}")
    click.echo(f"Why:         {spec.explanation}")
    click.echo(f"Instead:     {generic_form(spec.suggestion)}")
    for name, text in spec.suggestion_variants.items():
        click.echo(f"  or ({name.replace('_', ' ')}): {generic_form(text)}")
    click.echo("\nFlags:")
    for text in spec.examples.fail:
        click.echo(f"  ✗ {text}")
    click.echo("Leaves alone:")
    for text in spec.examples.passing:
        click.echo(f"  ✓ {text}")


@rules.command("checks")
@click.argument("names", nargs=-1)
def rules_checks(names: tuple[str, ...]) -> None:
    """The check types a rule can use, with their options (for writing your own packs)."""
    import inspect

    from .checks import CHECK_TYPES

    unknown = [n for n in names if n not in CHECK_TYPES.names()]
    if unknown:
        raise _fail(f"unknown check type {unknown[0]!r}; use one of: {', '.join(CHECK_TYPES.names())}")
    for name in names or CHECK_TYPES.names():
        module = CHECK_TYPES.get(name)
        doc = inspect.cleandoc(module.__doc__ or "") if module else ""
        click.echo(doc or f"`check: {name}`")
        click.echo()


@rules.command("test")
@click.argument("packs", nargs=-1)
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None, help="Config file to read packs from.")
@handle_errors
def rules_test(packs: tuple[str, ...], config: str | None) -> None:
    """Run every rule's fail:/pass: examples. PACKS are bundled names or folders [config packs]."""
    from .linter import Linter
    from .rulepack import load_packs, resolve_pack
    from .examples import ExampleResults, run_examples

    settings = _settings(config)
    refs = packs or settings.packs
    base = Path.cwd() if packs else settings.base_dir
    paths = [resolve_pack(p, base) for p in refs]
    loaded = load_packs(paths)
    # Lists (known acronyms, glossaries) come from the default pack when testing an add-on pack alone.
    if packs and "default" not in packs:
        own_ids = {r.id for r in loaded.rules}
        loaded = load_packs([resolve_pack("default")] + paths)
        loaded.rules = [r for r in loaded.rules if r.id in own_ids]
    # A pack's examples are its own contract: they run with the pack's defaults, never with the
    # user's known_words, disable or severity settings.
    linter = Linter(Settings(base_dir=settings.base_dir), loaded=loaded)
    results = run_examples(linter)
    # Rules a pack ships switched off still keep their promises: their examples run with them on.
    off = tuple(r.id for r in loaded.rules if not r.enabled)
    if off:
        more = run_examples(Linter(Settings(base_dir=settings.base_dir, rules=off), loaded=loaded))
        results = ExampleResults(results.rules + more.rules, results.examples + more.examples,
                                 results.failures + more.failures)
    for failure in results.failures:
        click.echo(f"FAIL {failure.describe()}")
    passed = results.examples - len(results.failures)
    click.echo(f"{results.rules} rules, {results.examples} examples: {passed} passed, {len(results.failures)} failed")
    if results.failures:
        raise click.exceptions.Exit(EXIT_FINDINGS)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs a token (COMMLINT_TOKEN or --token-file).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; each loads the pipeline and packs once at start-up.")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None,
              help="Use this config file instead of the nearest .commlint.yaml.")
@click.option("--token-file", type=click.Path(dir_okay=False), default=None,
              help="File holding the bearer token clients must send (else env COMMLINT_TOKEN).")
@click.option("--max-body", type=click.IntRange(min=1), default=256 * 1024, show_default=True,
              help="Largest request body in bytes; bigger ones get 413.")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="Let pages or extensions from this origin call the API from a browser (CORS), e.g. "
                   "chrome-extension://<id>. Repeatable; exact origins only, never '*'.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (e.g. commlint.helpdesk.internal). On "
                   "loopback only loopback names are answered otherwise (against DNS rebinding). Repeatable.")
@click.option("--request-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds one check may take; over it the client gets a JSON 503 and /healthz says 'stuck'.")
@handle_errors
def serve(host: str, port: int, workers: int, config: str | None, token_file: str | None, max_body: int,
          allow_origins: tuple[str, ...], allowed_hosts: tuple[str, ...], request_timeout: float) -> None:
    """Run the pre-send hook service and the web page (POST /v1/check, GET /v1/rules, GET /)."""
    from .service.server import ServeOptions, run

    run(ServeOptions(host=host, port=port, workers=workers, config=config, token_file=token_file, max_body=max_body,
                     allow_origins=tuple(allow_origins), allowed_hosts=tuple(allowed_hosts),
                     request_timeout=request_timeout))


@main.command()
@click.option("--tcp", "tcp", default=None, metavar="HOST:PORT",
              help="Listen on a TCP socket instead of speaking over stdin/stdout.")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None,
              help="Use this config file for every document instead of the nearest .commlint.yaml.")
@click.option("--stdio", is_flag=True, hidden=True, help="Accepted for editors that pass it; stdio is the default.")
@handle_errors
def lsp(tcp: str | None, config: str | None, stdio: bool) -> None:
    """Run the language server for editors (LSP over stdio, or --tcp HOST:PORT)."""
    from .lsp.server import serve

    address: tuple[str, int] | None = None
    if tcp:
        host, _, port = tcp.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise click.BadParameter(f"{tcp!r}: write it as HOST:PORT, e.g. 127.0.0.1:2087", param_hint="--tcp")
        address = (host.strip("[]"), int(port))
    serve(config=config, tcp=address)


# -- commlint report: team coaching over a helpdesk archive -----------------------------------------
@main.command()
@click.argument("exports", nargs=-1, required=True)
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for documents.parquet, findings.parquet, summary.json and report.html.")
@click.option("--source", type=click.Choice(["auto", "csv", "jsonl", "json", "zendesk", "freshdesk"]), default="auto",
              show_default=True, help="Export layout [auto: by extension, then by content].")
@click.option("--text", "text_col", default=None, help="Column with the reply text [auto: text, body, message …].")
@click.option("--agent", "agent_col", default=None, help="Column with the agent [auto: agent, author …].")
@click.option("--team", "team_col", default=None, help="Column with the team [auto: team, group …].")
@click.option("--date", "date_col", default=None, help="Column with the date [auto: date, created_at …].")
@click.option("--id", "id_col", default=None, help="Column with a reply id [auto: id …; else file:row].")
@click.option("--format", "text_format", type=click.Choice(["plain", "html", "markdown", "auto"]), default="plain",
              show_default=True, help="How CSV/JSONL reply text is written (auto: html if the column name says so).")
@click.option("--kind", type=click.Choice(KINDS), default="reply", show_default=True,
              help="What the replies are (Zendesk chat comments are always chat).")
@click.option("--include-text", is_flag=True,
              help="Put finding text and messages in the outputs (off by default: no reply text leaves the archive).")
@click.option("--pseudonymise", "pseudonymise", is_flag=True,
              help="Replace agent names with stable salted ids (salt from --salt or COMMLINT_SALT).")
@click.option("--salt", default=None, help="Salt for --pseudonymise (default: $COMMLINT_SALT).")
@click.option("--threshold", type=click.FloatRange(min=0), default=None,
              help="Highlight agents above this many findings per 1,000 words [default: the agents' mean + one standard deviation].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Local worker processes [default: the number of cores].")
@click.option("--scheduler", default=None, help="Run on a Dask distributed scheduler, e.g. tcp://host:8786.")
@click.option("--dask-local", "dask_local", type=click.IntRange(min=1), default=None,
              help="Start a local Dask cluster with this many single-threaded workers.")
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Replies per task sent to a worker.")
@click.option("--config", "-c", type=click.Path(dir_okay=False), default=None, help="Config file to use.")
@click.option("--rules", "-r", multiple=True, help="Only these rules: ids or category prefixes, comma-separated.")
@click.option("--disable", multiple=True, help="Skip these rule ids, comma-separated.")
@handle_errors
def report(exports: tuple[str, ...], out: str, source: str, text_col: str | None, agent_col: str | None,
           team_col: str | None, date_col: str | None, id_col: str | None, text_format: str, kind: str,
           include_text: bool, pseudonymise: bool, salt: str | None, threshold: float | None, jobs: int | None,
           scheduler: str | None, dask_local: int | None, batch_size: int, config: str | None,
           rules: tuple[str, ...], disable: tuple[str, ...]) -> None:
    """Coach a team from a helpdesk archive: CSV, JSONL, Zendesk or Freshdesk EXPORTS → --out DIR.

    Bad rows and unreadable files are reported (file:line) and skipped; the rest is reported on,
    and the exit code is then 2. Reply text stays out of every output unless --include-text.
    """
    from . import runner
    from .linter import Linter
    from .report.build import ReportOptions, build_report
    from .report.tabular import Columns

    if scheduler and dask_local:
        raise _fail("give either --scheduler or --dask-local, not both")
    if pseudonymise:
        salt = salt or os.environ.get("COMMLINT_SALT")
        if not salt:
            raise _fail("--pseudonymise needs a salt: --salt TEXT or COMMLINT_SALT (keep it secret and the same across runs)")
    settings = _settings(config, rules, disable)
    check_selection(Linter.shared(settings), settings.rules, settings.disable)
    options = ReportOptions(
        paths=exports, out=Path(out), source=source, include_text=include_text,
        columns=Columns(text=text_col, agent=agent_col, team=team_col, date=date_col, id=id_col, fmt=text_format, kind=kind),
        pseudonymise_salt=salt if pseudonymise else None, jobs=jobs or runner.default_jobs(), scheduler=scheduler,
        dask_workers=dask_local, batch_size=batch_size, threshold=threshold)
    with _ReportProgress() as progress:
        result = build_report(options, settings, on_batch=progress.advance,
                              on_problem=lambda p: click.echo(f"commlint: {p}", err=True))
    totals = result.summary.get("totals", {})
    if result.resumed:
        click.echo(f"commlint: resumed: {result.resumed} batches were already done by an earlier run", err=True)
    click.echo(f"{result.documents} replies, {result.words} words, {result.findings} findings "
               f"({totals.get('per_1000_words', 0):.2f} per 1,000 words) → {result.out}/report.html", err=True)
    if result.problems:
        click.echo(f"commlint: {len(result.problems)} rows or files could not be read (listed above); "
                   "the report covers the rest", err=True)
        raise click.exceptions.Exit(EXIT_ERROR)


class _ReportProgress:
    """Replies done and their rate on stderr when it is a terminal (the total is not known up front)."""

    def __init__(self) -> None:
        self._bar: Any = None
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def __enter__(self) -> "_ReportProgress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("linting replies: {task.completed:,.0f}"),
                                 TimeElapsedColumn(),
                                 console=Console(file=sys.stderr), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("report", total=None)
        return self

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, count)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def entry() -> None:
    """The `commlint` command: click's own handling, except that Ctrl-C exits 130 with one quiet
    line (click's default exits 1, the "findings" code, and a pipeline would read that as a verdict)."""
    try:
        code = main.main(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("\ncommlint: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    entry()
