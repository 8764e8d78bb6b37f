from livret.cli import main

raise SystemExit(main())
