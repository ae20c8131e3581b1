"""One module per source, named `<jurisdiction>_<source>` like the spider itself."""
