"""The numeric engine: compile a network to arrays, run bit-packed kernels on them.

Nothing here is imported by ``logicnet info`` or ``convert``; numba loads only
when a search runs.
"""
