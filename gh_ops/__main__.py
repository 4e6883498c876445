"""Entry point for `python -m gh_ops`."""

from gh_ops.cli import main

if __name__ == "__main__":
    main()
