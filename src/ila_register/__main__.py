"""Allow ``python -m ila_register`` (the same command as ``ila-register``)."""

from ila_register.cli import main

if __name__ == "__main__":
    main()
