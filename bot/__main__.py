"""``python -m bot`` does what the ``coverage-bot`` console script does."""

from .cli import main

main()
