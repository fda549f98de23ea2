"""plgkg — the knowledge graph of what schools can do to become a professional learning community."""

__version__ = "0.1.0"
