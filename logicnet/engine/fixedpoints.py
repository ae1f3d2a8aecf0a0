"""All fixed points by SAT (clasp, clingo's solver), with a CNF built from the rules.

The network is reduced first (fixed nodes, constants, outputs: exact for fixed
points), split into independent components (fixed points of the whole are the
product of the components'), and each component's condition ``x_i <-> f_i(x)`` is
encoded directly: from the truth table for narrow rules, by Tseitin variables for
wide ones.  Nothing is enumerated state by state.

Examples
--------
>>> from logicnet import Network
>>> mats, complete = sat_fixed_points(Network.from_rules("A* = B\\nB* = A"))
>>> mats.astype(int).tolist(), complete
([[0, 0], [1, 1]], True)
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from .. import expr as _expr
from ..network import Network
from .components import feedback_vertex_set, network_components


__all__ = ["sat_fixed_points", "fixed_point_cnf", "count_fixed_points"]

_TABLE_MAX_K = 6


class _CNF:
    def __init__(self, n_vars: int):
        self.n_vars = n_vars
        self.clauses: list[tuple[int, ...]] = []

    def new_var(self) -> int:
        self.n_vars += 1
        return self.n_vars


def _tseitin(e, var_of: dict[str, int], cnf: _CNF) -> int:
    """A literal equivalent to ``e`` (gates get fresh variables)."""
    k = _expr._kind(e)
    if k == "ATOM":
        c = _expr.constant_value(e)
        if c is not None:
            v = cnf.new_var()
            cnf.clauses.append((v,) if c else (-v,))
            return v
        return var_of[str(e.obj)]
    if k == "NOT":
        return -_tseitin(e.args[0], var_of, cnf)
    lits = [_tseitin(a, var_of, cnf) for a in e.args]
    g = cnf.new_var()
    if k == "AND":
        for lit in lits:
            cnf.clauses.append((-g, lit))
        cnf.clauses.append((g, *[-lit for lit in lits]))
    else:
        for lit in lits:
            cnf.clauses.append((g, -lit))
        cnf.clauses.append((-g, *lits))
    return g


def fixed_point_cnf(net: Network) -> tuple[int, list[tuple[int, ...]]]:
    """CNF whose solutions, restricted to variables ``1..n``, are the fixed points.

    Variable ``i + 1`` is node ``i``.

    Examples
    --------
    >>> fixed_point_cnf(Network.from_rules("A* = not A"))
    (1, [(1,), (-1,)])
    """
    n = net.n_nodes
    var_of = {name: i + 1 for i, name in enumerate(net.nodes)}
    cnf = _CNF(n)
    for i, node in enumerate(net.nodes):
        x = i + 1
        rule = net.rules[node]
        regs = net.regulators(node)
        if rule == _expr.symbol(node):
            continue  # an input: any value is fixed
        if len(regs) <= _TABLE_MAX_K:
            table = _expr.truth_table(rule, regs)
            lits = [var_of[r] for r in regs]
            self_pos = regs.index(node) if node in regs else -1
            for row in range(table.size):
                val = bool(table[row])
                if self_pos >= 0:
                    if bool((row >> self_pos) & 1) == val:
                        continue  # consistent row
                    clause = tuple(-lit if (row >> j) & 1 else lit for j, lit in enumerate(lits))
                else:
                    clause = tuple(-lit if (row >> j) & 1 else lit for j, lit in enumerate(lits)) + ((x,) if val else (-x,))
                cnf.clauses.append(clause)
        else:
            t = _tseitin(rule, var_of, cnf)
            cnf.clauses.append((-x, t))
            cnf.clauses.append((x, -t))
    return cnf.n_vars, cnf.clauses


def _solve_component(sub: Network, limit: int | None, report=None) -> np.ndarray:
    """Fixed points of one component as a boolean matrix (rows; ``sub``'s node order).

    In a fixed point every node equals its rule, so the values on a feedback vertex
    set of the interaction graph decide all the others (the rest of the graph has no
    cycle): the solver reports only the set's values, and the other columns are the
    rules evaluated in topological order, one vectorised pass over all solutions.
    """
    n = sub.n_nodes
    if sub.inputs == sub.nodes:  # only inputs: every assignment
        k = 1 << n if limit is None else min(1 << n, limit)
        codes = np.arange(k, dtype=np.int64).reshape(-1, 1)
        return ((codes >> np.arange(n, dtype=np.int64)) & 1).astype(bool)
    succ: dict[str, list[str]] = {x: [] for x in sub.nodes}
    for y in sub.nodes:
        for x in sub.regulators(y):
            succ[x].append(y)
    cut, rest = feedback_vertex_set(succ)
    n_vars, clauses = fixed_point_cnf(sub)
    found = _enumerate(n_vars, clauses, [sub.index(x) + 1 for x in cut], limit, report)
    k = found.shape[0]
    columns = {x: found[:, j] for j, x in enumerate(cut)}
    for x in rest:
        columns[x] = _expr.evaluate_columns(sub.rules[x], columns, k)
    out = np.zeros((k, n), bool)
    for i, x in enumerate(sub.nodes):
        out[:, i] = columns[x]
    return out


def _enumerate(n_vars: int, clauses: list, shown: list[int], limit: int | None, report=None) -> np.ndarray:
    """All solutions of the CNF (at most ``limit``), as a boolean matrix of the values
    of the variables ``shown`` (rows: solutions; columns: ``shown``'s order).

    The solver is clasp (clingo's, used as a SAT solver: one choice atom per
    variable, one integrity constraint per clause).  clasp enumerates by
    backtracking, with no blocking clause per solution, so the time grows linearly
    with the number of solutions.  Each solution must be decided by its ``shown``
    values (the caller's feedback vertex set and Tseitin gates are functions of them),
    so no two are alike there.  Only ``shown`` atoms carry a name, and a solution is
    read from the names of its true atoms.
    """
    import clingo

    ctl = clingo.Control([f"--models={0 if limit is None else limit}", "-W", "none"])
    names = {v: clingo.Function("x", [clingo.Number(v)]) for v in shown}
    with ctl.backend() as b:
        atoms = [b.add_atom(names[v]) if v in names else b.add_atom() for v in range(1, n_vars + 1)]
        b.add_rule(atoms, choice=True)
        for clause in clauses:  # a clause holds: not all of its literals are false
            b.add_rule([], [-atoms[v - 1] if v > 0 else atoms[-v - 1] for v in clause])
    column = {name: j for j, name in enumerate(names.values())}
    true: list[list[int]] = []  # per solution, the columns of its true atoms
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            true.append([column[a] for a in model.symbols(shown=True)])
            if report is not None and len(true) % 100 == 0:
                report(100)
    if report is not None:
        report(len(true) % 100)
    out = np.zeros((len(true), len(shown)), bool)
    lengths = np.fromiter(map(len, true), np.int64, len(true))
    out[np.repeat(np.arange(len(true)), lengths), np.fromiter(chain.from_iterable(true), np.int64)] = True
    return out


def _product(mats: list[np.ndarray], cols: list[np.ndarray], width: int, limit: int | None) -> np.ndarray:
    """Rows of the Cartesian product of the components' solutions, first component slowest."""
    total = 1
    for m in mats:
        total *= m.shape[0]
    k = total if limit is None else min(total, limit)
    out = np.zeros((k, width), bool)
    idx = np.arange(k, dtype=np.int64)
    stride = total
    for m, c in zip(mats, cols):
        stride //= m.shape[0]
        out[:, c] = m[(idx // stride) % m.shape[0]]
    return out


def sat_fixed_points(net: Network, *, limit: int | None = None) -> tuple[np.ndarray, bool]:
    """All fixed points as a boolean matrix (rows; columns = ``net.nodes``), and whether complete.

    Examples
    --------
    >>> mats, complete = sat_fixed_points(Network.from_rules("A* = A\\nB* = A"), limit=1)
    >>> mats.astype(int).tolist(), complete
    ([[0, 0]], False)
    """
    from ..progress import task
    from ..reduce import reduce_network

    red = reduce_network(net, propagate=True, prune_outputs=True)
    rnet = red.network
    comps = network_components(rnet)
    mats: list[np.ndarray] = []
    complete = True
    with task(f"fixed points by SAT ({len(comps)} independent part(s))") as t:
        for comp in comps:
            sols = _solve_component(rnet.select(comp), None if limit is None else limit + 1, t.advance)
            if limit is not None and sols.shape[0] > limit:
                sols = sols[:limit]
                complete = False
            if sols.shape[0] == 0:
                return np.zeros((0, net.n_nodes), bool), True
            mats.append(sols)
    index = {n: i for i, n in enumerate(rnet.nodes)}
    cols = [np.array([index[n] for n in comp], np.int64) for comp in comps]
    total = 1
    for m in mats:
        total *= m.shape[0]
    if limit is not None and total > limit:
        complete = False
    rows = _product(mats, cols, rnet.n_nodes, limit)
    return red.lift.lift_matrix(rows, update="fixed"), complete


def count_fixed_points(net: Network) -> int:
    """The number of fixed points, multiplied out over independent components.

    Examples
    --------
    >>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = not C"))
    0
    >>> count_fixed_points(Network.from_rules("A* = A\\nB* = B\\nC* = A or B"))
    4
    """
    from ..progress import task
    from ..reduce import reduce_network

    red = reduce_network(net, propagate=True, prune_outputs=True)
    rnet = red.network
    total = 1
    with task("counting fixed points by SAT") as t:
        for comp in network_components(rnet):
            sub = rnet.select(comp)
            if sub.inputs == sub.nodes:
                total *= 1 << sub.n_nodes
                continue
            k = _solve_component(sub, None, t.advance).shape[0]
            if k == 0:
                return 0
            total *= k
    return total
