"""Requests for comments: decisions proposed in pull requests titled "RFC: ...", checked, reminded
and recorded."""
