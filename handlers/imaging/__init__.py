"""The image core: pure functions on bytes and Pillow images. No boto3, no AWS.

``process_image(data, specs, limits)`` turns the bytes of one upload into renditions or
raises ``Rejected`` with a reason.
"""
