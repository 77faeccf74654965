"""ila-register: the national register of offers payable with an Individual Learning Account."""

__all__ = ["__version__"]

__version__ = "0.1.0"
