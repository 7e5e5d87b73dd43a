"""`python -m rasd`: the command line."""

from rasd.cli import main

raise SystemExit(main())
