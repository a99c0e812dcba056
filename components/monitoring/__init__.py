"""Monitoring of the pipeline: catalogue, metric filters, alarms, SNS tiers, dashboard, runbook."""
