"""paiban (排版): typesets Chinese newspaper pages into print-ready PDFs."""

__version__ = "0.1.0"
