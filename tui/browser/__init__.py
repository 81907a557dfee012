"""The browser: the Textual app, its screens, widgets, messages and styles."""
