"""Run the pipeline on this machine: an embedded AWS emulator, sample photos, the real handler.

``python -m localrun.demo`` (or ``python3 tasks.py demo``); nothing leaves the machine. The
emulated AWS itself (server, resources, events, Lambda context) is ``emulated_aws``, which the
handler's tests share; this package holds only the demo.
"""
