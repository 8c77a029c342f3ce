"""The workbench's features, one module each: ``router(wb)`` returns its pages and API."""
