"""Reproducible performance benchmark of the emulator against static baselines (`python -m bench`).

Every scenario compares the emulator with a baseline measured in the same run (a static
`responses` stub, a minimal Flask app on the same WSGI server, Stoplight Prism) and reports the
ratio against the target of issue 6. Only loopback is used; every process started is stopped.
"""
