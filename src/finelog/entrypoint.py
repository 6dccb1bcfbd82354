"""The console script: `finelog --version` answers before the command line is even built."""

from __future__ import annotations

import io
import sys


def main() -> None:
    """Print the version at once if that is all that was asked; otherwise run the CLI."""
    write_utf8()
    if sys.argv[1:] == ["--version"]:
        from finelog import __version__

        print(f"finelog {__version__}")
        return
    from finelog.cli import main as run

    run()


def write_utf8() -> None:
    """Files and pipes get UTF-8 whatever the locale; a terminal that cannot show a character, `?`.

    Windows writes a redirected stdout in its ANSI code page, which has no `ś` or `ł`: a
    CSV of the data set would stop halfway with an encoding error.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper) or _is_utf8(stream.encoding):
            continue
        if stream.isatty():
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8")


def _is_utf8(encoding: str | None) -> bool:
    """Whether an encoding's name is UTF-8's, however spelt."""
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")
