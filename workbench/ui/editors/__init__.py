"""Editing evidence, hypotheses and sources: the panels and the structure actions."""
