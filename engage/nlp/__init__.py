"""Engage's analysis engine: a plain library with no Flask and no database.

Inputs are strings and dataclasses; outputs are dataclasses. The web side stores what it returns.
"""
