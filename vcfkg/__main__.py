from vcfkg.cli import main

raise SystemExit(main())
