"""Structured telemetry of the handler: event and field names, and the JSON log shape."""
