"""docgen: sales plan data to Chinese Word, PDF and HTML documents."""

__version__ = "0.1.0"
