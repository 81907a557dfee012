"""The widgets of the browser, each named for what a user sees."""
