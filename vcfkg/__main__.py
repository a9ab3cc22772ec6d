"""``python -m vcfkg``: the command line (:mod:`vcfkg.cli`, behind the interrupt handler of :mod:`vcfkg.interrupt`)."""

from vcfkg.interrupt import main

raise SystemExit(main())
