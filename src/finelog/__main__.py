"""`python -m finelog`."""

from finelog.cli import main

main()
