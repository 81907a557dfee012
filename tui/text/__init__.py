"""How things read: numbers, money, units, labels in two languages, and untrusted text made inert. Pure functions."""
