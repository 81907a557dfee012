"""Screens shown over the browser."""
