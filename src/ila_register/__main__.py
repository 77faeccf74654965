"""Allow ``python -m ila_register``."""

from ila_register.cli import main

main()
