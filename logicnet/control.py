"""Placeholder name: the control module is logicnet/controlling.py; logicnet.control is its function."""
