"""The console script: `finelog --version` answers before the command line is even built."""

from __future__ import annotations

import sys


def main() -> None:
    """Print the version at once if that is all that was asked; otherwise run the CLI."""
    if sys.argv[1:] == ["--version"]:
        from finelog import __version__

        print(f"finelog {__version__}")
        return
    from finelog.cli import main as run

    run()
