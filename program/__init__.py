"""This repository's own Pulumi program: its stack config and how that config becomes component Args.

`components/` is the reusable package and never imports from here.
"""
