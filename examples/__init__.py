"""Pulumi programs that consume the imagepipe components, evaluated by the tests."""
