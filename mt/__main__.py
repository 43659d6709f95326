"""`python -m mt` = the `mt` command."""

from mt.cli import main

main()
