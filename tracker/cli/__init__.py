"""The command line (`ncp-tracker`): thin wrappers around the packages of `tracker/`."""

from tracker.cli.main import main

__all__ = ["main"]
