"""S3 Batch Operations' side of the reprocessing function: the LambdaInvoke invocation in, results out.

Invocation schema 2.0 (the one that carries the job's ``userArguments``), as the S3 User Guide describes
it ("Invoking a Lambda function from Batch Operations",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html) and the API
reference's LambdaInvokeOperation
(https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_LambdaInvokeOperation.html): schema 2.0
names the bucket (``s3Bucket``) where 1.0 gave its ARN.
"""
