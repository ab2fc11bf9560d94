"""`python -m aluekg` runs the command line."""

from aluekg.cli import main

main()
