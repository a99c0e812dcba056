"""Compliance mode (seed 003): customer-managed keys, a private network, separation of duties.

Each part is a component of its own; with compliance off the program creates none of them.
"""
