"""Pulumi ComponentResources of the image pipeline, and the config they are built from."""
