"""Storage, change tracking, health, digest and the CLI of ncp-tracker."""

__version__ = "0.1.0"
