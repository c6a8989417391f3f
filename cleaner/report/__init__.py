"""Reports of a run: ``summary.json`` and one self-contained ``report.html``."""

from .html import DocumentView, render_html, write_html

__all__ = ["DocumentView", "render_html", "write_html"]
