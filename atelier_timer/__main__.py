"""Run as ``python -m atelier_timer``."""

from atelier_timer.cli import main

raise SystemExit(main())
