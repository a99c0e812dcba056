"""The image API's Lambda code: API Gateway REST proxy events (payload 1.0) in, JSON out.

``handlers.image_api.handler`` is the entry point; this package is the rest, one concern a module:
``settings`` (the environment), ``proxy_event`` (the event as a request), ``routes`` (resource and
method to operation), ``dispatch`` (one request through routing, identity, the operation and error
handling), ``identity`` (the caller: the Cognito ``sub``), ``errors`` (4xx as classes), ``excerpt``
(the only way a message quotes client input), ``responses`` (JSON bodies and CORS headers), ``uploads``
(POST /images: a presigned POST), ``plain_text`` and its table ``unicode_14`` (the characters names and
user ids may hold), ``media_types`` (RFC 9110 media types), ``listing`` (GET /images: the user index, a
cursor), ``images`` (GET and DELETE /images/{id}), ``summary`` (the one shape of an image in answers),
and ``clients`` (boto3 clients of a call budget, created on first use once per container, and the part
of each this code uses). DELETE deletes versions with ``handlers.object_versions`` and leaves a
``handlers.tombstone``, both shared with the image function.

It never imports Pillow (``handlers.imaging``) or ``handlers.edge.settings``: a request needs neither.

AWS operations the function makes or signs (``clients.AWS_OPERATIONS`` holds the same list;
tests/api/test_role_grants_match_calls.py proves it against every request the handler makes and
against ``components.iam_documents.api_policy``):

=====================================  =========================  ==============================================
operation                              IAM action                 resource
=====================================  =========================  ==============================================
s3 presigned POST (PutObject)          s3:PutObject               upload bucket ``uploads/*``
s3 presigned GET (GetObject)           s3:GetObject               processed bucket ``renditions/*``
s3 ListObjectVersions                  s3:ListBucketVersions      upload bucket (prefix ``uploads/``),
                                                                  processed bucket (prefix ``renditions/``)
s3 DeleteObjects (every entry with a   s3:DeleteObjectVersion     upload bucket ``uploads/*``,
VersionId)                                                        processed bucket ``renditions/*``
dynamodb GetItem                       dynamodb:GetItem           the table
dynamodb PutItem (DELETE's tombstone)  dynamodb:PutItem           the table
dynamodb UpdateItem (DELETE's          dynamodb:UpdateItem        the table
tombstone of an id without an item)
dynamodb Query (on the user index)     dynamodb:Query             ``{table}/index/user-uploads``
=====================================  =========================  ==============================================

A presigned URL is used with the signer's rights, so the function's role needs the action the URL
performs even though signing makes no request. Beyond these: ``logs:CreateLogStream`` and
``logs:PutLogEvents`` on its log group (Lambda writes its lines), ``kms:Decrypt`` and
``kms:GenerateDataKey`` on the stack's key when the buckets use one (presigned uploads and downloads
of SSE-KMS objects run with the signer's key rights), X-Ray ``PutTraceSegments``/``PutTelemetryRecords``
when tracing.
"""
