"""Run the pipeline on this machine: an embedded AWS emulator, sample photos, the real handler.

``python -m localrun.demo`` (or ``python3 tasks.py demo``); nothing leaves the machine.
"""
