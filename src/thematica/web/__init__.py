"""The workbench: a local web app over one study (``thematica serve``)."""
