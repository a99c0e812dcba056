"""The component package's folder: PulumiPlugin.yaml, requirements.txt and the entry __main__.py."""
