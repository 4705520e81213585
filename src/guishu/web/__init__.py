"""The Django shell around the pure core: settings, URLs, WSGI."""
