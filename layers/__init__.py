"""Lambda layers built from pinned requirements, reproducibly and cached on disk.

``python -m layers.build`` builds the Pillow layer zip for each Lambda architecture;
``layers.build.build_layer`` does the same for the Pulumi program.
"""
