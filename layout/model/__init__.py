"""The edition and style model: frozen dataclasses, loaded and validated from YAML."""

from layout.model.edition import Article, Edition, PageSpec, Paragraph, Photo, Placement
from layout.model.style import Grid, RoleStyle, Style

__all__ = ["Article", "Edition", "Grid", "PageSpec", "Paragraph", "Photo", "Placement",
           "RoleStyle", "Style"]
