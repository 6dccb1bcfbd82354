"""`python -m finelog`."""

from finelog.entrypoint import main

main()
