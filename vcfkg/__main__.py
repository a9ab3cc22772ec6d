"""``python -m vcfkg``: the command line (:mod:`vcfkg.cli`)."""

from vcfkg.cli import main

raise SystemExit(main())
