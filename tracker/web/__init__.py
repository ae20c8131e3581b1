"""The local web workbench (`ncp-tracker serve`): Flask, server-rendered, CSRF-protected."""
