"""Lets `python -m narrator` run the command line."""

from narrator.cli import main

if __name__ == "__main__":
    main()
