"""The Datasette plugin and the metadata it serves."""
