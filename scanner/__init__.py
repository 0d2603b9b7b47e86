"""mlwarden: policy and governance compliance scanner for ML estates on AWS."""
__version__ = "0.1.0"
