"""The engines: the explicit one (compile a network to arrays, run bit-packed numba
kernels on them; ``bitsets``: small asynchronous searches with state sets as Python
integers, nothing to load) and the symbolic one (``bdd``: BDDs of the update functions
and of state sets; ``symbolic``: fixed-point counts and asynchronous attractors on them).

Nothing here is imported by ``logicnet info`` or ``convert``; numba and oxidd load only
when a search needs them.
"""
