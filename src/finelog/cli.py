"""The finelog command line: parse options, load, query, emit; map failures to exit codes."""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, NoReturn, Protocol, TextIO, TypeVar

import typer
from typer.core import TyperGroup

from finelog import formats
from finelog.vocab import (
    GroupBy,
    Kind,
    PartialDate,
    RankBy,
    Role,
    Sector,
    SortKey,
    Status,
    Tracker,
    ViolationType,
    counted,
)

if TYPE_CHECKING:
    from finelog import check, importer, query, trackers
    from finelog.articles import ArticlePattern
    from finelog.dataset import Dataset
    from finelog.entry import Entry
    from finelog.registry import Registry, UnknownName


class ExitCode(IntEnum):
    """What finelog's exit status means."""

    OK = 0
    INVALID = 1
    USAGE = 2


EXIT_CODES_HELP = (
    "Exit codes: 0 success (also when nothing matches); 1 invalid data, failed validation "
    "or unknown id; 2 usage error."
)


class FinelogGroup(TyperGroup):
    """Typer's group with one-line errors, quiet broken pipes and tracebacks only on --debug."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except typer.TyperException as error:
            message = error.format_message() if hasattr(error, "format_message") else str(error)
            if type(error).__name__ == "NoArgsIsHelpError":
                print(message, file=sys.stderr)
            else:
                message = message.replace("Value error, ", "")
                _say(f"error: {message}{_help_hint(error)}")
            sys.exit(getattr(error, "exit_code", ExitCode.USAGE))
        except (typer.Abort, KeyboardInterrupt):
            _say("aborted")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # what is still buffered meets a closed pipe here, not at exit
            return result
        except BrokenPipeError:  # the reader went away (`| head -1`): what it read is all it wanted
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as error:
            if _debugging():
                raise
            if isinstance(error, OSError) and error.errno in _FULL:
                _silence_stdout()
                _say(f"cannot write the output: {error.strerror}")
                raise typer.Exit(ExitCode.INVALID) from None
            _say(f"internal error: {type(error).__name__}: {error} ({_debug_hint(ctx)})")
            raise typer.Exit(ExitCode.INVALID) from None


# Errors that say the output could not be written in full: a full disk, quota or file size limit.
_FULL: Final = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _help_hint(error: Exception) -> str:
    """`(see 'finelog list --help')` for usage errors that know their command and name no better place."""
    ctx = getattr(error, "ctx", None)
    return f" (see '{ctx.command_path} --help')" if ctx is not None and not isinstance(error, _Listed) else ""


def _debug_hint(ctx: Any) -> str:
    """How to see the traceback: --debug goes before the command, as it is finelog's own option."""
    command = f" {ctx.invoked_subcommand}" if ctx.invoked_subcommand else ""
    return f"for the traceback, run `finelog --debug{command} ...` or set FINELOG_DEBUG=1"


def _say(message: str) -> None:
    """One line to stderr, prefixed with the program's name."""
    print(f"finelog: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, send what is left to /dev/null, silently."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # stdout without a file descriptor
        os.dup2(devnull, sys.stdout.fileno())


def _debugging() -> bool:
    """Whether --debug (or FINELOG_DEBUG=1) asked for tracebacks."""
    return _flag("FINELOG_DEBUG")


def _flag(name: str) -> bool:
    """Whether an environment variable is set to something other than empty or 0."""
    return os.environ.get(name, "") not in ("", "0")


app = typer.Typer(
    cls=FinelogGroup,
    name="finelog",
    help="Query, rank and summarise data-protection enforcement decisions (GDPR fines).\n\n"
    "Example: finelog top --by amount --limit 10",
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    """Print the installed version and stop."""
    if value:
        from finelog import __version__

        print(f"finelog {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show tracebacks of internal errors (before the command: finelog --debug list ...). "
            "[env: FINELOG_DEBUG]",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Read every file; neither use nor update the cache. [env: FINELOG_NO_CACHE]"
        ),
    ] = False,
) -> None:
    """Query, rank and summarise data-protection enforcement decisions."""
    if debug:
        os.environ["FINELOG_DEBUG"] = "1"
    if no_cache:
        os.environ["FINELOG_NO_CACHE"] = "1"


# ---- shared options ---------------------------------------------------------------------


def _complete_regulator(incomplete: str) -> list[str]:
    """Regulator codes for shell completion."""
    from finelog.registry import regulators

    return [r.code for r in regulators().entries if r.code.lower().startswith(incomplete.lower())]


def _complete_country(incomplete: str) -> list[str]:
    """Country codes for shell completion."""
    from finelog.registry import countries

    return [c.code for c in countries().entries if c.code.lower().startswith(incomplete.lower())]


def _complete_sector(incomplete: str) -> list[str]:
    """Sector codes for shell completion."""
    return [s.value for s in Sector if s.value.startswith(incomplete.lower())]


def _complete_type(incomplete: str) -> list[str]:
    """Violation type codes for shell completion."""
    return [v.value for v in ViolationType if v.value.startswith(incomplete.lower())]


def _complete_group_by(incomplete: str) -> list[str]:
    """--by keys for shell completion, also after a comma: `regulator,ye` to `regulator,year`."""
    done, comma, last = incomplete.rpartition(",")
    return [done + comma + key.value for key in GroupBy if key.value.startswith(last.lower())]


def _grouping(values: list[str] | None) -> list[str]:
    """--by, repeated or comma-separated, as keys; an unknown key or one given twice is a usage error."""
    keys: list[str] = []
    for typed in (part.strip() for value in values or () for part in value.split(",")):
        key = typed.lower()
        if key not in {member.value for member in GroupBy}:
            _bad("--by", f"{typed!r} is not one of {', '.join(repr(k.value) for k in GroupBy)}.")
        if key in keys:
            _bad("--by", f"{key!r} is given twice: group by each key once")
        keys.append(key)
    return keys


def _complete_law(incomplete: str) -> list[str]:
    """Law codes for shell completion."""
    from finelog import query
    from finelog.registry import laws

    return [law.code for law in laws().entries if law.code.lower().startswith(incomplete.lower())] + [
        query.NATIONAL
    ]


def _there(named: Path | None) -> Path | None:
    """The --data path, which must be there: a usage error if not."""
    _refuse_missing("--data", [named] if named is not None else [])
    return named


def _paths_there(named: list[Path] | None) -> list[Path] | None:
    """The paths to validate, each of which must be there: a usage error if not."""
    _refuse_missing("PATH", named or [])
    return named


def _refuse_missing(name: str, paths: Sequence[Path]) -> None:
    """A usage error naming the option or argument (PATH, not its metavar) whose path is not there."""
    for path in paths:
        if not os.path.lexists(path):
            _bad(name, f"no such file or directory: {path}")


def _holds_records(option: str, paths: Sequence[Path], files: int) -> None:
    """A usage error when the paths named hold no YAML file at all: not a data set."""
    if files == 0:
        named = ", ".join(str(path) for path in paths)
        _bad(option, f"no records in {named}: no .yaml or .yml files there")


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="FINELOG_DATA",
        callback=_there,
        help="Data set directory (or file) to read instead of the bundled one. [env: FINELOG_DATA]",
        show_envvar=False,
    ),
]
SkipInvalidOption = Annotated[
    bool, typer.Option("--skip-invalid", help="Warn about invalid records and go on without them.")
]
FormatOption = Annotated[
    formats.Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
ReportFormatOption = Annotated[
    str, typer.Option("--format", "-f", metavar="<text|json>", help="Output format.", case_sensitive=False)
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, help="Show at most N rows (0: only the count).")
]


def _filter(
    kind: Any,
    *flags: str,
    metavar: str,
    text: str,
    complete: Callable[[str], list[str]] | None = None,
) -> Any:
    """One filter option, listed under "Filters" in the help."""
    option = typer.Option(
        *flags,
        metavar=metavar,
        help=text,
        autocompletion=complete,
        case_sensitive=False,
        rich_help_panel="Filters",
    )
    return Annotated[kind, option]


_PARTLY_DATED = "A decision dated only to a month or year matches when that period overlaps."

_FILTER_OPTIONS: dict[str, Any] = {
    "regulator": _filter(
        list[str] | None, "--regulator", "-r", metavar="CODE", complete=_complete_regulator,
        text="Authority code or alias (repeatable): CNIL, FR-CNIL, 'Data Protection Commission'.",
    ),
    "country": _filter(
        list[str] | None, "--country", "-c", metavar="COUNTRY", complete=_complete_country,
        text="Country code or name (repeatable): NO, no, Norway. EU is the EU institutions (their "
        "authority: the EDPS), not the member states.",
    ),
    "since": _filter(
        str | None, "--since", metavar="DATE",
        text="Decided on or after: YYYY, YYYY-MM or YYYY-MM-DD. " + _PARTLY_DATED,
    ),
    "until": _filter(
        str | None, "--until", metavar="DATE",
        text="Decided on or before: YYYY, YYYY-MM or YYYY-MM-DD. " + _PARTLY_DATED,
    ),
    "year": _filter(list[int] | None, "--year", metavar="YEAR", text="Decided in this year (repeatable)."),
    "min_amount": _filter(
        str | None, "--min", metavar="EUROS", text="At least this many euros: 1000000, 1e6, 1M, 500k."
    ),
    "max_amount": _filter(str | None, "--max", metavar="EUROS", text="At most this many euros."),
    "article": _filter(
        list[str] | None, "--article", "-a", metavar="ARTICLE",
        text="Cites this article or below it (repeatable, all must match): 5, 5(1), '28(3) GDPR'. "
        "28(3) matches 28(3)(a) but not 28 alone. One naming no law must be cited under a --law given.",
    ),
    "law": _filter(
        list[str] | None, "--law", metavar="LAW", complete=_complete_law,
        text="Cites this law (repeatable): GDPR, UK-GDPR, FR-LIL, or 'national'. With --article, "
        "the article must be cited under it: --article 28 --law GDPR is Art. 28 GDPR.",
    ),
    "sector": _filter(
        list[str] | None, "--sector", metavar="SECTOR", complete=_complete_sector,
        text="Sector code or name (repeatable): health, 'Health Care'.",
    ),
    "violation_type": _filter(
        list[str] | None, "--type", metavar="TYPE", complete=_complete_type,
        text="Violation type code or name (repeatable): security, legal_basis.",
    ),
    "role": _filter(
        list[Role] | None, "--role", metavar="[" + "|".join(Role) + "]",
        text="Role of the party (repeatable).",
    ),
    "status": _filter(
        list[Status] | None, "--status", metavar="[" + "|".join(Status) + "]",
        text="Appeal status (repeatable).",
    ),
    "kind": _filter(
        list[Kind] | None, "--kind", metavar="[" + "|".join(Kind) + "]",
        text="Kind of sanction (repeatable).",
    ),
    "entity": _filter(
        str | None, "--entity", "-e", metavar="TEXT",
        text="Entity name contains this (case- and accent-insensitive).",
    ),
    "search": _filter(
        str | None, "--search", "-s", metavar="TEXT",
        text="Text in the id, entity, summary or case number.",
    ),
}  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])


def _group_filter(*flags: str) -> Any:
    """The corporate-group filter, under the flags a command can spare for it."""
    return _filter(str | None, *flags, metavar="TEXT", text="Corporate group contains this: Meta, Alphabet.")


def with_selection(*group_flags: str) -> Callable[[F], F]:
    """Give a command --data, --skip-invalid and every filter; it receives the data set and matches."""
    options = _FILTER_OPTIONS | {"group": _group_filter(*group_flags)}

    def decorate(command: F) -> F:
        return _add_selection(command, options)

    return decorate


def _add_selection(command: F, options: dict[str, Any]) -> F:
    """Rewrite a command's signature so that Typer sees the data and filter options."""
    signature = inspect.signature(command)  # annotations unevaluated: Dataset and Entry load later
    kept = [
        p.replace(annotation=_evaluated(p.annotation, command))
        for p in signature.parameters.values()
        if p.name not in ("decisions", "dataset")
    ]
    keyword = inspect.Parameter.KEYWORD_ONLY
    added = [
        inspect.Parameter("data", keyword, default=None, annotation=DataOption),
        inspect.Parameter("skip_invalid", keyword, default=False, annotation=SkipInvalidOption),
        *(inspect.Parameter(name, keyword, default=None, annotation=kind) for name, kind in options.items()),
    ]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        from finelog import query

        filters = build_filters(**{name: kwargs.pop(name) for name in options})
        everything = load_dataset(kwargs.pop("data"), kwargs.pop("skip_invalid"))
        _say_never_decided(filters, everything.entries)
        chosen = query.select(everything.entries, filters, lambda e: str(everything.row(e)["summary"]))
        return command(dataset=everything, decisions=chosen, **kwargs)

    parameters = [p.replace(kind=keyword) for p in kept] + added
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
    return wrapper  # type: ignore[return-value]


def _say_never_decided(filters: query.Filters, entries: Sequence[Entry]) -> None:
    """Say which authority or country asked for, known to the registry, has no decision in the data set."""
    from finelog.registry import countries, regulators

    if not filters.regulators and not filters.countries:
        return
    for code in sorted(filters.regulators - {entry.regulator for entry in entries}):
        _say(f"note: no decision by {code} ({regulators().by_code[code].name}) in the data set")
    for code in sorted(filters.countries - {entry.country for entry in entries}):
        authorities = ", ".join(r.code for r in regulators().entries if r.country == code)
        _say(f"note: no decision from {code} ({countries().by_code[code].name}) in the data set; "
             f"its authorities: {authorities}")  # fmt: skip


def _evaluated(annotation: Any, command: Callable[..., Any]) -> Any:
    """A parameter's annotation as Typer needs it: the object its text names in the command's module."""
    if not isinstance(annotation, str):
        return annotation
    return eval(annotation, command.__globals__)


def _bad(option: str, message: str) -> NoReturn:
    """A usage error naming the option at fault."""
    raise typer.BadParameter(message, param_hint=f"'{option}'")


Bound = tuple[str, str | None, Any]  # an option, its text as typed, the value it means


def _refuse_empty_range(low: Bound, high: Bound, beyond: str) -> None:
    """A range that ends before it starts is a usage error naming both options: nothing could match."""
    (low_option, low_text, low_value), (high_option, high_text, high_value) = low, high
    if low_value is not None and high_value is not None and low_value > high_value:
        message = f"{low_text} is {beyond} {high_text}, so nothing can match"
        raise typer.BadParameter(message, param_hint=f"'{low_option}' and '{high_option}'")


def _refuse_unlikely_years(years: Sequence[int]) -> None:
    """A --year that is not written in four digits (`23` for 2023) is a slip, not a year to search."""
    if slips := [str(year) for year in years if not 1000 <= year <= 9999]:
        _bad("--year", f"{', '.join(slips)}: give the year in full, e.g. 2023")


def _refuse_years_outside(years: Sequence[int], since: Bound, until: Bound) -> None:
    """--year values that all fall outside --since/--until are a usage error: nothing could match."""
    first, last = since[2], until[2]
    if not years or any(_year_meets(year, first, last) for year in years):
        return
    window = " and ".join(f"{option} {text}" for option, text, value in (since, until) if value is not None)
    listed = ", ".join(map(str, years))
    raise typer.BadParameter(f"{listed} is outside {window}, so nothing can match", param_hint="'--year'")


def _year_meets(year: int, first: date | None, last: date | None) -> bool:
    """Whether some day of the year lies between the first and last day (either may be open)."""
    return (first is None or year >= first.year) and (last is None or year <= last.year)


def _resolve_all(option: str, names: Sequence[str] | None, resolve: Callable[[str], str]) -> frozenset[str]:
    """Resolve every value of a repeatable option, or fail naming the one that does not resolve."""
    from finelog.registry import UnknownName

    try:
        return frozenset(resolve(name) for name in names or ())
    except UnknownName as error:
        if error.candidates:  # ambiguous: the message names every authority it may mean
            _bad(option, str(error))
        raise _Listed(_unknown(error), param_hint=f"'{option}'") from None


class _Listed(typer.BadParameter):
    """A usage error that names the command listing every value known, in place of --help."""


def _unknown(error: UnknownName) -> str:
    """`unknown regulator 'fr_cnil'; did you mean FR-CNIL?`, and where every code is listed."""
    from finelog.registry import countries, laws, regulators

    known: dict[str, tuple[Callable[[], Registry[Any]], str]] = {
        "regulator": (regulators, "`finelog regulators` lists them"),
        "country": (countries, "`finelog regulators` lists every authority's country"),
        "law": (laws, "`finelog laws` lists them"),
    }
    registry, listed = known[error.kind]
    close = registry().close(error.name)
    guess = f"; did you mean {', '.join(close)}?" if close else ""
    return f"{error}{guess} ({listed})"


def _vocabulary(
    option: str, names: Sequence[str] | None, vocabulary: type[Sector] | type[ViolationType]
) -> frozenset[Any]:
    """Codes or labels of a vocabulary, as typed."""
    chosen = set()
    for name in names or ():
        value = vocabulary.from_text(name)
        if value is None:
            _bad(option, f"unknown value {name!r}; one of: {', '.join(v.value for v in vocabulary)}")
        chosen.add(value)
    return frozenset(chosen)


def _date_bound(option: str, text: str | None, *, end: bool) -> date | None:
    """--since/--until: the start (or end) of the day, month or year given."""
    if text is None:
        return None
    try:
        when = PartialDate.parse(text)
    except ValueError as error:
        _bad(option, str(error))
    return when.end if end else when.start


def _euros(option: str, text: str | None) -> Decimal | None:
    """--min/--max as an exact number of euros."""
    from finelog.money import parse_human_amount

    if text is None:
        return None
    try:
        return parse_human_amount(text)
    except ValueError as error:
        _bad(option, str(error))


def _law_code(name: str) -> str:
    """A law code, or `national` for every national law."""
    from finelog import query
    from finelog.registry import laws, normalise

    return query.NATIONAL if normalise(name) == query.NATIONAL else laws().resolve(name).code


def _article_patterns(texts: list[str]) -> tuple[ArticlePattern, ...]:
    """--article values as patterns (the article parser is loaded only when one is given)."""
    if not texts:
        return ()
    from finelog.articles import ArticleError, parse_pattern

    try:
        return tuple(parse_pattern(text) for text in texts)
    except ArticleError as error:
        _bad("--article", str(error))


def build_filters(
    *,
    regulator: list[str] | None,
    country: list[str] | None,
    since: str | None,
    until: str | None,
    year: list[int] | None,
    min_amount: str | None,
    max_amount: str | None,
    article: list[str] | None,
    law: list[str] | None,
    sector: list[str] | None,
    violation_type: list[str] | None,
    role: list[Role] | None,
    status: list[Status] | None,
    kind: list[Kind] | None,
    entity: str | None,
    group: str | None,
    search: str | None,
) -> query.Filters:
    """The filter options, checked and resolved into one Filters value."""
    from finelog import query
    from finelog.registry import countries, regulators

    patterns = _article_patterns(article or [])
    first_day, last_day = _date_bound("--since", since, end=False), _date_bound("--until", until, end=True)
    _refuse_empty_range(("--since", since, first_day), ("--until", until, last_day), "after")
    _refuse_unlikely_years(year or [])
    _refuse_years_outside(year or [], ("--since", since, first_day), ("--until", until, last_day))
    min_eur, max_eur = _euros("--min", min_amount), _euros("--max", max_amount)
    _refuse_empty_range(("--min", min_amount, min_eur), ("--max", max_amount, max_eur), "more than")
    return query.Filters(
        regulators=_resolve_all("--regulator", regulator, lambda n: regulators().resolve(n).code),
        countries=_resolve_all("--country", country, lambda n: countries().resolve(n).code),
        since=first_day,
        until=last_day,
        years=frozenset(year or ()),
        min_eur=min_eur,
        max_eur=max_eur,
        articles=patterns,
        laws=_resolve_all("--law", law, _law_code),
        sectors=_vocabulary("--sector", sector, Sector),
        violation_types=_vocabulary("--type", violation_type, ViolationType),
        roles=frozenset(role or ()),
        statuses=frozenset(status or ()),
        kinds=frozenset(kind or ()),
        entity=entity,
        group=group,
        search=search,
    )  # fmt: skip


# ---- loading and emitting ---------------------------------------------------------------


def load_dataset(data: Path | None, skip_invalid: bool) -> Dataset:
    """The data set, through the cache; invalid records stop the command unless --skip-invalid."""
    from finelog import dataset

    root = data or dataset.bundled_data_dir()
    result = dataset.load(root, use_cache=not _flag("FINELOG_NO_CACHE"), warn=_say)
    _holds_records("--data", [root], result.files + len(result.problems))
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        if not skip_invalid:
            _say(f"{counted(len(result.problems), 'problem')} in {counted(result.invalid_files, 'file')}; "
                 "fix the data, or pass --skip-invalid to go on without those records")  # fmt: skip
            raise typer.Exit(ExitCode.INVALID)
        _say(f"warning: skipped {counted(result.invalid_files, 'invalid file')}")
    return result


def _text_or_json(fmt: str, as_json: bool) -> bool:
    """Whether a report command (validate, check) writes JSON; --format is text or json."""
    if fmt not in ("text", "json"):
        _bad("--format", f"{fmt!r} is not one of 'text', 'json'")
    return as_json or fmt == "json"


class _Reported(Protocol):
    """A problem or a finding: one `path:line:col: ...` line, or one JSON object."""

    def as_dict(self) -> dict[str, object]: ...


def _write_report(items: Sequence[_Reported], wants_json: bool) -> None:
    """Problems or findings to stdout: a JSON array, or one line each."""
    if wants_json:
        formats.write_json([item.as_dict() for item in items], sys.stdout)
    else:
        for item in items:
            print(item)
    sys.stdout.flush()


def chosen_format(fmt: formats.Format, as_json: bool) -> formats.Format:
    """--json, the shortcut for --format json, unless --format asks for another output format."""
    if as_json and fmt not in (formats.Format.TABLE, formats.Format.JSON):
        _bad("--json", f"--json and --format {fmt} ask for different formats: give one")
    return formats.Format.JSON if as_json else fmt


def emit(
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    columns: Sequence[formats.Column],
    fmt: formats.Format,
    *,
    what: str,
    ranked: bool = False,
    bar_key: str | None = None,
    matched: int | None = None,
) -> None:
    """Rows to stdout in the chosen format; the count (of how many matched) and hidden columns on stderr."""
    if fmt is not formats.Format.TABLE:
        formats.write_rows(rows, keys, columns, fmt, sys.stdout, ranked=ranked)
    elif rows:
        from finelog import render

        hidden = render.print_table(rows, columns, sys.stdout, ranked=ranked, bar_key=bar_key)
        if hidden:
            _say(f"hidden at this width: {', '.join(hidden)} (widen the terminal, or use --format csv/json)")
    sys.stdout.flush()
    _say(shown_count(len(rows), what, matched) if rows or matched else f"no {what}s match")


def shown_count(shown: int, what: str, matched: int | None) -> str:
    """`3 decisions`, or `3 of 172 decisions` when a limit left some of those that matched out."""
    if matched is None or matched <= shown:
        return counted(shown, what)
    return f"{shown} of {counted(matched, what)}"


def _say_ties(tied: int, shown: int, what: str) -> None:
    """Say when the limit cut through a tie, and how to see the rest of it."""
    if tied:
        verb = "ties" if tied == 1 else "tie"
        _say(f"{counted(tied, 'more ' + what)} {verb} with #{shown}; --limit {shown + tied} shows them")


# Why `top --by` leaves a decision out of its ranking.
UNKNOWN_MEASURE = {
    RankBy.AMOUNT: "no amount in euros",
    RankBy.STANDING: "no amount in euros",
    RankBy.AFFECTED: "no number of people affected",
    RankBy.DATE: "no date",
}


def summary_columns(rows: Sequence[query.SummaryRow], by: Sequence[GroupBy]) -> tuple[formats.Column, ...]:
    """The summary table's columns: one per key for several, else without names that repeat the key.

    Sums that stand after appeals say so: `standing total EUR`.
    """
    if len(by) > 1:
        columns = formats.summary_columns_by(by)
    elif all(row.label == row.key for row in rows):
        columns = tuple(c for c in formats.SUMMARY_COLUMNS if c.key != "label")
    else:
        columns = formats.SUMMARY_COLUMNS
    if any(row.standing for row in rows):
        return tuple(
            replace(c, header=f"standing {c.header}") if c.key.endswith("_eur") else c for c in columns
        )
    return columns


def decision_rows(dataset: Dataset, decisions: Sequence[Entry]) -> list[formats.Row]:
    """Decisions as output rows."""
    return [dataset.row(d) for d in decisions]


def decision_columns(decisions: Sequence[Entry], ranked: RankBy | None = None) -> tuple[formats.Column, ...]:
    """The decision table's columns; the standing amount where an appeal changed one, or it is ranked by."""
    from finelog import query

    if ranked is RankBy.STANDING or any(query.standing_eur(d) != query.imposed_eur(d) for d in decisions):
        return formats.DECISION_COLUMNS
    return tuple(c for c in formats.DECISION_COLUMNS if c.key != "standing_eur")


# The column holding the value `top --by` ranks by.
RANKED_KEYS = {
    RankBy.AMOUNT: "amount_eur",
    RankBy.STANDING: "standing_eur",
    RankBy.AFFECTED: "affected",
    RankBy.DATE: "decision_date",
}


# list --sort keys whose value is kept in view, as top --by keeps it; not the date of a plain list,
# which a narrow terminal may still hide (the id carries the year).
SORTS_RANKED = {SortKey(by.value): by for by in RankBy if by is not RankBy.DATE}


def ranked_columns(decisions: Sequence[Entry], by: RankBy) -> tuple[formats.Column, ...]:
    """The decision table's columns, the ranked value never hidden (people affected beside the entity)."""
    columns = decision_columns(decisions, by)
    if by is RankBy.AFFECTED:
        beside = [c.key for c in columns].index("entity") + 1
        columns = (*columns[:beside], formats.AFFECTED_COLUMN, *columns[beside:])
    return tuple(replace(c, essential=True) if c.key == RANKED_KEYS[by] else c for c in columns)


# ---- commands ---------------------------------------------------------------------------


def _example(text: str, body: str) -> str:
    """A help text that opens with an example."""
    return f"Example: {text}\n\n{body}"


@app.command("list", short_help="List the decisions that match every filter.", help=_example(
    "finelog list --regulator cnil --since 2024 --json",
    "List the decisions that match every filter, newest first.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
@with_selection("--group", "--corporate-group")
def list_command(
    dataset: Dataset,
    decisions: list[Entry],
    sort: Annotated[SortKey, typer.Option("--sort", help="Order by.", case_sensitive=False)] = SortKey.DATE,
    descending: Annotated[
        bool, typer.Option("--desc/--asc", help="Largest/latest first, or smallest/earliest.")
    ] = True,
    limit: LimitOption = None,
    fmt: FormatOption = formats.Format.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List decisions."""
    from finelog import query

    ordered = query.sort_decisions(decisions, sort, descending=descending)[:limit]
    columns = (
        ranked_columns(ordered, SORTS_RANKED[sort]) if sort in SORTS_RANKED else decision_columns(ordered)
    )
    emit(decision_rows(dataset, ordered), formats.DECISION_KEYS, columns,
         chosen_format(fmt, as_json), what="decision", matched=len(decisions))  # fmt: skip


@app.command("top", short_help="Rank the largest decisions, or groups by their totals.", help=_example(
    "finelog top --by amount --limit 10",
    "The largest decisions by amount imposed (or standing after appeals, people affected, "
    "date); with --group, the groups with the largest totals.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
@with_selection("--corporate-group")
def top_command(
    dataset: Dataset,
    decisions: list[Entry],
    by: Annotated[RankBy, typer.Option("--by", help="Rank by.", case_sensitive=False)] = RankBy.AMOUNT,
    group_by: Annotated[
        GroupBy | None,
        typer.Option(
            "--group",
            "-g",
            help="Rank groups by their euro total instead (with --by amount or standing).",
            case_sensitive=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="How many (0: only the count).")] = 10,
    fmt: FormatOption = formats.Format.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Rank decisions or groups."""
    from finelog import query

    if group_by is not None:
        if by not in (RankBy.AMOUNT, RankBy.STANDING):
            message = f"--group ranks groups by their euro total: use --by amount or standing, not {by}"
            raise typer.BadParameter(message, param_hint="'--by' and '--group'")
        every_group = query.rank_groups(decisions, group_by, standing=by is RankBy.STANDING)
        groups = every_group[:limit]
        emit([formats.summary_row(r) for r in groups], formats.SUMMARY_KEYS,
             summary_columns(groups, [group_by]), chosen_format(fmt, as_json), what="group",
             ranked=True, bar_key="share", matched=len(every_group))  # fmt: skip
        totals = [r.total_eur for r in every_group if r.total_eur is not None]  # unknown totals come last
        _say_ties(query.tied_beyond(totals, totals[: len(groups)]), len(groups), "group")
        _say_unknown_amounts(decisions, standing=by is RankBy.STANDING)
        return
    ranking = query.ranking(decisions, by, limit)
    ranked = ranking.shown
    emit(decision_rows(dataset, ranked), formats.DECISION_KEYS, ranked_columns(ranked, by),
         chosen_format(fmt, as_json), what="decision", ranked=True, matched=ranking.rankable)  # fmt: skip
    _say_ties(ranking.tied, len(ranked), "decision")
    if unranked := len(decisions) - ranking.rankable:
        _say(f"not ranked: {counted(unranked, 'decision')} with {UNKNOWN_MEASURE[by]}")


@app.command("summary", short_help="Count, total, median, mean and max per group.", help=_example(
    "finelog summary --by year --regulator cnil",
    "Per group: how many decisions, and the total, median, mean and largest amount in euros "
    "with each group's share of the total (of every decision listed). Decisions citing "
    "several articles or violation types count under each, so those shares can add up to "
    "more than 100%. Repeat --by, or separate keys with commas, to group by several at once: "
    "--by regulator --by year gives each regulator's figures per year.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
@with_selection("--group", "--corporate-group")
def summary_command(
    dataset: Dataset,
    decisions: list[Entry],
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="<" + "|".join(GroupBy) + ">[,...]",
            help="Group by this (default: regulator); repeat it, or list keys with commas, "
            "to group by several.",
            callback=_grouping,
            autocompletion=_complete_group_by,
        ),
    ] = None,
    standing: Annotated[
        bool, typer.Option("--standing", help="Use the amounts that stand after appeals.")
    ] = False,
    limit: LimitOption = None,
    fmt: FormatOption = formats.Format.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Summarise decisions per group."""
    from finelog import query

    grouping = tuple(GroupBy(key) for key in by or ()) or (GroupBy.REGULATOR,)
    groups = query.summarise(decisions, *grouping, standing=standing)
    rows = groups[:limit]
    emit([formats.summary_row(r) for r in rows], formats.summary_keys(grouping),
         summary_columns(rows, grouping), chosen_format(fmt, as_json), what="group",
         bar_key="share", matched=len(groups))  # fmt: skip
    _say_unknown_amounts(decisions, standing=standing)


def _say_unknown_amounts(decisions: Sequence[Entry], *, standing: bool) -> None:
    """Say how many decisions the totals leave out, having no amount in euros."""
    from finelog import query

    if unknown := len(decisions) - len(query.known_amounts(decisions, standing=standing)):
        _say(f"not in the totals: {counted(unknown, 'decision')} with {UNKNOWN_MEASURE[RankBy.AMOUNT]}")


@app.command("show", short_help="Show decisions in full.", help=_example(
    "finelog show fr-cnil-2022-clearview-ai",
    "Each decision named, in full: amounts in both currencies, articles, the appeal timeline, "
    "linked decisions and sources. JSON has one object per line.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
def show_command(
    decision_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Decision ids (file names; a path or `.yaml` is fine, in any case).",
            show_default=False,
        ),
    ],
    data: DataOption = None,
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = formats.Format.TABLE,
    as_json: JsonOption = False,
) -> None:
    """Show decisions in full, one after another."""
    decisions = load_dataset(data, skip_invalid)
    chosen = [_entry_meant(text, decisions.entries) for text in decision_ids]
    if not all(chosen):
        raise typer.Exit(ExitCode.INVALID)
    rows = [decisions.row(entry) for entry in chosen if entry is not None]
    enforcing = [[d.id for d in decisions.entries if d.enforces == row["id"]] for row in rows]
    _write_decisions(rows, enforcing, chosen_format(fmt, as_json))


def _entry_meant(text: str, entries: Sequence[Entry]) -> Entry | None:
    """The decision an argument names; None, said with the ids it may have meant, if none."""
    from finelog import query

    wanted = query.id_meant(text)
    found = next((entry for entry in entries if entry.id == wanted), None)
    if found is None:
        close = query.suggest_ids(wanted, [entry.id for entry in entries])
        hint = f"; did you mean {', '.join(close)}?" if close else "; `finelog list` shows the ids"
        _say(f"error: no decision with id {text!r}{hint}")
    return found


def _write_decisions(rows: list[formats.Row], enforcing: list[list[str]], chosen: formats.Format) -> None:
    """Decisions in full: panels or Markdown one after another, a blank line apart; else as rows."""
    if chosen is formats.Format.JSON:
        formats.write_jsonl(rows, sys.stdout)
    elif chosen not in (formats.Format.TABLE, formats.Format.MARKDOWN):
        formats.write_rows(rows, formats.DECISION_KEYS, formats.DECISION_COLUMNS, chosen, sys.stdout)
    else:
        from finelog import render

        write = render.print_decision if chosen is formats.Format.TABLE else formats.write_decision_markdown
        for number, (row, enforced_by) in enumerate(zip(rows, enforcing, strict=True)):
            sys.stdout.write("\n" if number else "")
            write(row, sys.stdout, enforced_by)


REGULATOR_KEYS = (
    "code",
    "name",
    "native_name",
    "country",
    "website",
    "aliases",
    "count",
    "total_eur",
)
REGULATOR_COLUMNS = (
    formats.Column("code", "code"),
    formats.Column("name", "name"),
    formats.Column("country", "country"),
    formats.Column("count", "decisions", numeric=True),
    formats.Column("total_eur", "total EUR", numeric=True, cell=lambda r: formats.thousands(r["total_eur"])),
)


@app.command("regulators", short_help="List the authorities, with counts and totals.", help=_example(
    "finelog regulators --country DE",
    "The registry of authorities, with each one's number of decisions and total in euros.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
def regulators_command(
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="Only this country (repeatable).",
            autocompletion=_complete_country,
        ),
    ] = None,
    data: DataOption = None,
    skip_invalid: SkipInvalidOption = False,
    fmt: FormatOption = formats.Format.TABLE,
    as_json: JsonOption = False,
) -> None:
    """List the authorities."""
    from finelog import query
    from finelog.registry import countries, regulators

    wanted = _resolve_all("--country", country, lambda n: countries().resolve(n).code)
    entries = load_dataset(data, skip_invalid).entries
    totals = {r.key: r for r in query.summarise(entries, GroupBy.REGULATOR)}
    rows = [
        {"code": r.code, "name": r.name, "native_name": r.native_name, "country": r.country,
         "website": r.website, "aliases": list(r.aliases),
         "count": totals[r.code].count if r.code in totals else 0,
         "total_eur": formats.number(totals[r.code].total_eur) if r.code in totals else 0}
        for r in regulators().entries if not wanted or r.country in wanted
    ]  # fmt: skip
    emit(rows, REGULATOR_KEYS, REGULATOR_COLUMNS, chosen_format(fmt, as_json), what="regulator")


LAW_KEYS = ("code", "name", "country", "aliases")


@app.command("laws", short_help="List the laws that articles may cite.", help=_example(
    "finelog laws --json",
    "The laws article references may cite, with their codes and the names trackers use.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
def laws_command(fmt: FormatOption = formats.Format.TABLE, as_json: JsonOption = False) -> None:
    """List the laws."""
    from finelog.registry import laws

    rows = [{"code": law.code, "name": law.name, "country": law.country, "aliases": list(law.aliases)}
            for law in laws().entries]  # fmt: skip
    columns = (
        formats.Column("code", "code"),
        formats.Column("name", "name"),
        formats.Column("country", "country"),
    )
    emit(rows, LAW_KEYS, columns, chosen_format(fmt, as_json), what="law")


@app.command("validate", short_help="Check decision files and report every problem.", help=_example(
    "finelog validate data/decisions/fr-cnil-2022-clearview-ai.yaml",
    "Check decision files (default: the whole data set) and report every problem as "
    "path:line:col: field: message, then a summary on stderr. Exit 1 if anything is wrong. "
    "Links and ids are checked against the other records of each file's folder, or of --data.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[PATH]...", help="Files or directories.", callback=_paths_there),
    ] = None,
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    as_json: JsonOption = False,
) -> None:
    """Validate decision files."""
    wants_json = _text_or_json(fmt, as_json)
    from finelog import dataset, validation

    named = paths or [data or dataset.bundled_data_dir()]
    context = data if paths else None  # the data set the files named belong to
    result = validation.load(named, data=context, use_cache=not _flag("FINELOG_NO_CACHE"))
    _holds_records("PATH" if paths else "--data", named, result.files)
    _write_report(result.problems, wants_json)
    if result.problems:
        problems = counted(len(result.problems), "problem")
        _say(f"{problems} in {result.invalid_files} of {counted(result.files, 'file')}")
        raise typer.Exit(ExitCode.INVALID)
    _say(f"{counted(result.files, 'file')} valid")


@app.command("clear-cache", short_help="Delete finelog's cache of parsed decisions.", help=_example(
    "finelog clear-cache",
    "Delete the cache finelog keeps of parsed decision files (in $FINELOG_CACHE_DIR, else "
    "$XDG_CACHE_HOME/finelog or ~/.cache/finelog). The next command reads every file again. "
    "The cache is never needed for a correct answer: `finelog --no-cache` bypasses it.",
), epilog=EXIT_CODES_HELP)  # fmt: skip
def clear_cache_command() -> None:
    """Delete the cache."""
    from finelog import cache

    removed = cache.clear()
    _say(f"removed {counted(len(removed), 'cache file')} from {cache.cache_dir()}")


CHECK_EXIT_HELP = "Exit codes: 0 nothing found; 1 a finding, or invalid data; 2 usage error."

IMPORT_EXIT_HELP = (
    "Exit codes: 0 every row written or skipped; 1 a row rejected, the file is not a "
    "readable export, or the import stopped early (--out cannot be written, the --report "
    "reader went away); 2 usage error (no such file, unknown tracker); 130 stopped by Ctrl-C, "
    "143 by SIGTERM (after the row in progress)."
)


@app.command("import", short_help="Import a tracker export (CMS, PrivacyAffairs) as records.", help=_example(
    "finelog import cms export.csv --out data/decisions --report import.jsonl",
    "Read a CSV export of the CMS Enforcement Tracker or a PrivacyAffairs scrape and write "
    "one decision record per row into --out. Every row is written, skipped (the data set "
    "already holds that decision: same tracker id, or same regulator, date, amount and "
    "entity with nothing to tell them apart) or rejected with its reasons (shown on stderr). "
    "Two rows with different tracker ids are two decisions. A record written although it "
    "looks like one already there (same regulator, party and amount, a few days apart) is "
    "named on stderr with a warning. Existing files are never "
    "overwritten, so a re-import writes nothing new. Counts go to stderr at the end.",
), epilog=IMPORT_EXIT_HELP)  # fmt: skip
def import_command(
    tracker: Annotated[
        Tracker,
        typer.Argument(
            metavar="TRACKER",
            help="cms or privacyaffairs: which tracker the export comes from.",
            case_sensitive=False,
        ),
    ],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The export, as CSV (UTF-8).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Data set directory to write into.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show each row's fate on stdout; write nothing.")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write each row's fate as JSON lines ('-': stdout)."),
    ] = None,
) -> None:
    """Import a tracker export."""
    from finelog import importer

    table = _read_export(file, tracker)
    if out.exists() and not out.is_dir():
        _bad("--out", f"{out} is not a directory")
    to_stderr: list[str] = []
    progress = _progress(len(table.rows), f"importing {file.name}")
    with _report_stream(report) as stream, progress as step, _signals_noted() as signals:

        def record(outcome: importer.Outcome) -> None:
            step()
            if stream is not None:
                _report_line(stream, outcome, dry_run)
            line = _outcome_line(file, tracker, outcome, dry_run)
            if dry_run and report != Path("-"):
                print(line)
            elif outcome.fate is importer.Fate.REJECTED or outcome.warnings:
                to_stderr.append(line)
            if signals:
                raise importer.Interrupted(signals[0])

        result = importer.import_export(table, tracker, out, dry_run=dry_run, on_outcome=record)
    for line in to_stderr:
        print(line, file=sys.stderr)
    for warning in result.warnings:
        _say(f"warning: {warning}")
    counts = _import_counts(result, dry_run)
    if result.stopped is not None:
        done = len(result.outcomes)
        so_far = (
            f"import stopped after {done} of {len(table.rows)} rows; {counts}" if done else "nothing imported"
        )
        if result.signal_number is not None:
            _say(f"{result.stopped}: {so_far}")
            raise typer.Exit(128 + result.signal_number)
        _say(f"error: {result.stopped}: {so_far}")
        raise typer.Exit(ExitCode.INVALID)
    _say(f"read {counted(len(table.rows), 'row')}: {counts}")
    if result.count(importer.Fate.REJECTED):
        raise typer.Exit(ExitCode.INVALID)


def _import_counts(result: importer.ImportResult, dry_run: bool) -> str:
    """`230 written (1 with a warning), 3 skipped, 17 rejected`."""
    from finelog.importer import Fate

    verb = "would write" if dry_run else "written"
    doubtful = f" ({result.doubtful()} with a warning)" if result.doubtful() else ""
    return (
        f"{result.count(Fate.WRITTEN)} {verb}{doubtful}, "
        f"{result.count(Fate.SKIPPED)} skipped, {result.count(Fate.REJECTED)} rejected"
    )


def _report_line(stream: TextIO, outcome: importer.Outcome, dry_run: bool) -> None:
    """One row's fate as a JSON line, flushed; a report that cannot be written stops the import."""
    from finelog import importer

    try:
        stream.write(json.dumps(outcome.as_dict(dry_run=dry_run), ensure_ascii=False) + "\n")
        stream.flush()
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            if stream is sys.stdout:
                _silence_stdout()
            raise importer.StopImport("report closed (its reader went away)") from None
        raise importer.StopImport(f"cannot write the report: {error.strerror or error}") from None


def _read_export(file: Path, tracker: Tracker) -> trackers.Table:
    """The export's rows, or a one-line error: usage if there is no such file, data otherwise."""
    from finelog import importer, trackers

    if not file.exists():
        _bad("FILE", f"no such file: {file}")
    if file.is_dir():
        _bad("FILE", f"{file} is a directory, not a CSV export")
    try:
        return importer.read_export(file, tracker)
    except (trackers.ExportError, OSError) as error:
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        _say(f"error: {file}: {message}")
        raise typer.Exit(ExitCode.INVALID) from None


@contextlib.contextmanager
def _report_stream(report: Path | None) -> Iterator[TextIO | None]:
    """The --report file, or stdout for '-', or nothing."""
    if report is None:
        yield None
    elif report == Path("-"):
        yield sys.stdout
    else:
        try:
            handle = report.open("w", encoding="utf-8")
        except OSError as error:
            _bad("--report", f"cannot write {report}: {error.strerror or error}")
        with handle:
            yield handle


@contextlib.contextmanager
def _signals_noted() -> Iterator[list[int]]:
    """Ctrl-C and SIGTERM noted, for the import to stop after the row in progress; a second stops at once."""
    import signal

    noted: list[int] = []

    def note(signal_number: int, frame: object) -> None:
        if noted:
            raise KeyboardInterrupt
        noted.append(signal_number)

    previous = {number: signal.signal(number, note) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield noted
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


@contextlib.contextmanager
def _progress(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from finelog import render

    with render.progress(total, description, sys.stderr) as step:
        yield step


def _outcome_line(file: Path, tracker: Tracker, outcome: importer.Outcome, dry_run: bool) -> str:
    """`export.csv:12: row 11 (ETid-23): rejected: reason; reason`."""
    from finelog import importer

    where = f"{file}:{outcome.line}: row {outcome.row}"
    if outcome.tracker_id:
        where += f" ({'' if tracker is Tracker.CMS else 'id '}{outcome.tracker_id})"
    if outcome.fate is importer.Fate.REJECTED:
        return f"{where}: rejected: {'; '.join(outcome.reasons)}"
    if outcome.fate is importer.Fate.SKIPPED:
        return f"{where}: {'would skip' if dry_run else 'skipped'}: {'; '.join(outcome.reasons)}"
    warned = "".join(f"; warning: {warning}" for warning in outcome.warnings)
    return f"{where}: {'would write' if dry_run else 'wrote'} {outcome.path}{warned}"


@app.command("check", short_help="Data-quality warnings: duplicates, suspect dates, typos.", help=_example(
    "finelog check --data imported/",
    "Look for what validation cannot decide alone: likely duplicates (same regulator and "
    "amount, dates a few days apart), placeholder dates, dates that "
    "look day/month-swapped or that come after their source, fines with an unknown or zero "
    "amount, missing or unread articles, entity names one typo apart, and amounts that an "
    "appeal overwrote instead of an appeal event. One line per finding: "
    "path:line:col: code: message. A file that does not validate is not checked further: "
    "each of its problems is a finding with the code `invalid`.",
), epilog=CHECK_EXIT_HELP)  # fmt: skip
def check_command(
    data: DataOption = None,
    fmt: ReportFormatOption = "text",
    as_json: JsonOption = False,
) -> None:
    """Report data-quality warnings."""
    wants_json = _text_or_json(fmt, as_json)
    from finelog import check, dataset, validation

    root = data or dataset.bundled_data_dir()
    result = validation.load([root])
    _holds_records("--data", [root], result.files)
    findings = check.check(result.loaded)
    _write_report(sorted([*findings, *check.invalid(result.problems)]), wants_json)
    if result.problems:
        invalid = counted(result.invalid_files, "invalid file")
        _say(f"skipped {invalid}: its problems are reported as `invalid` (see `finelog validate`)")
    _say(_findings_count(findings, len(result.loaded), beside_invalid=bool(result.problems)))
    if findings or result.problems:
        raise typer.Exit(ExitCode.INVALID)


def _findings_count(findings: Sequence[check.Finding], checked: int, *, beside_invalid: bool) -> str:
    """`3 findings in 2 of 170 checked files`, or `no findings in 170 files` (`no other` beside invalid)."""
    if findings:
        files = len({finding.path for finding in findings})
        return f"{counted(len(findings), 'finding')} in {files} of {counted(checked, 'checked file')}"
    if beside_invalid:
        return f"no other findings in {counted(checked, 'checked file')}"
    return f"no findings in {counted(checked, 'file')}"


_ROOT_FLAGS = frozenset({"--debug", "--no-cache", "--version"})


def invoked_command(argv: Sequence[str]) -> str | None:
    """The command a command line runs, when it names one after nothing but root flags."""
    for arg in argv:
        if arg not in _ROOT_FLAGS:
            return None if arg.startswith("-") else arg
    return None


def main() -> None:
    """The console script's entry point.

    Typer builds every registered command before running one (about 20 ms for finelog's
    eleven), so a command line that names a command gets a CLI holding only that one.
    Listing the commands (`finelog --help`), an unknown name and shell completion see all.
    """
    everything = app.registered_commands
    name = invoked_command(sys.argv[1:])
    chosen = [command for command in everything if command.name == name]
    if chosen and "_FINELOG_COMPLETE" not in os.environ:
        app.registered_commands = chosen
    try:
        app(prog_name="finelog")
    finally:
        app.registered_commands = everything
