"""dyadlens: evidence-linked event data from international-relations articles."""

__version__ = "0.1.0"
