from vcfkg.interrupt import main

raise SystemExit(main())
