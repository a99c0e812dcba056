"""``python3 tasks.py reprocess STACK``: re-render a stack's stored images with S3 Batch Operations.

The stack's ``reprocess`` output says where everything is (outputs.py); the metadata table says
which images exist and what rendered them (selection.py); the manifest lists them as Batch
Operations reads a CSV (manifest.py); the job request is built and sent with boto3 (job.py);
``--dry-run`` prints counts and an estimate (estimate.py) and creates nothing (command.py).
"""
