"""Lambda code of the image pipeline.

Runs on AWS Lambda (Python 3.12) with nothing but boto3 and Pillow (from the layer): it
never imports Pulumi or ``components/``. ``components/`` imports the names in
``handlers.contract`` and ``handlers.telemetry`` so both sides agree on one definition.
"""
