"""Duikou (对口): a terminal atlas of China's paired poverty-alleviation assistance."""

__version__ = "0.1.0"
