"""Interfaces on top of the flows: the command line and (soon) the HTTP service."""
