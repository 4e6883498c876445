"""Yolo merges: changes that reach the default branch without someone other than their author
checking them, caught on merge, push and review, and audited over time."""
