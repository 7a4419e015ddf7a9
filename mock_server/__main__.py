"""`python -m uipath_emulator.mock_server` runs `uipath-mock`."""

from uipath_emulator.mock_server.cli.main import main

raise SystemExit(main())
