"""Offline evaluation of the Pulumi program: mock runtime, plan, golden snapshots."""
