from undersigned.cli import main

raise SystemExit(main())
