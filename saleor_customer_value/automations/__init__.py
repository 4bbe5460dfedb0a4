"""Segments, automation runs (actions on a segment) and periodic gifts (issue 14)."""
