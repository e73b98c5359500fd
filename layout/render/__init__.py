"""Renderers: they draw a display list and know nothing of composition."""
