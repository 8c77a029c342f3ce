"""``python -m thematica``: the same as the ``thematica`` command."""

from thematica.cli.main import main

main()
