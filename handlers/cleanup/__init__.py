"""The scheduled cleanup (dev housekeeping): old object versions, delete markers and metadata items go.

``settings`` reads the environment, ``clients`` makes the boto3 clients and names the only calls
the code makes, ``sweep`` deletes from the buckets, ``metadata`` from the table, ``batching`` holds
back each listing page until the next is fetched, ``report`` counts, ``job`` runs the three parts
and writes the summary. ``handlers.cleanup_handler`` is the Lambda entry point.
"""
