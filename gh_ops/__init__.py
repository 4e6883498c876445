"""gh-ops: a company's working agreements, run as GitHub automation."""

__version__ = "0.1.0"
