"""`python -m mock_server` runs `uipath-mock`."""

from mock_server.cli import main

raise SystemExit(main())
