"""A naive reference simulator, written for clarity rather than speed.

States are dicts {node: 0/1}; the integer code of a state has bit i = i-th node.
The engine is tested against these functions on small networks.
"""

from __future__ import annotations

import itertools

import networkx as nx

from logicnet.expr import evaluate


def all_states(net):
    """Every state of the network as a dict, in integer order."""
    for code in range(1 << net.n_nodes):
        yield decode(net, code)


def decode(net, code):
    return {n: (code >> i) & 1 for i, n in enumerate(net.nodes)}


def encode(net, state):
    return sum(state[n] << i for i, n in enumerate(net.nodes))


def sync_successor(net, state):
    """All nodes update at once."""
    return {n: evaluate(net.rules[n], state) for n in net.nodes}


def async_successors(net, state):
    """General asynchronous: one node whose rule disagrees with its value flips."""
    out = []
    for n in net.nodes:
        v = evaluate(net.rules[n], state)
        if v != state[n]:
            nxt = dict(state)
            nxt[n] = v
            out.append(nxt)
    return out


def sync_attractors(net):
    """{frozenset of cycle state codes: basin size} under synchronous update."""
    succ = {}
    for s in all_states(net):
        succ[encode(net, s)] = encode(net, sync_successor(net, s))
    attractor_of = {}
    result = {}
    for start in succ:
        path = []
        seen = set()
        x = start
        while x not in seen and x not in attractor_of:
            seen.add(x)
            path.append(x)
            x = succ[x]
        if x in attractor_of:
            att = attractor_of[x]
        else:  # x closes a new cycle
            cycle = [x]
            y = succ[x]
            while y != x:
                cycle.append(y)
                y = succ[y]
            att = frozenset(cycle)
            result[att] = 0
        for p in path:
            attractor_of[p] = att
    for att in attractor_of.values():
        result[att] += 1
    return result


def async_attractors(net):
    """Set of frozensets of state codes: terminal SCCs of the asynchronous graph."""
    g = nx.DiGraph()
    for s in all_states(net):
        c = encode(net, s)
        g.add_node(c)
        for t in async_successors(net, s):
            g.add_edge(c, encode(net, t))
    cond = nx.condensation(g)
    out = set()
    for comp in cond.nodes:
        if cond.out_degree(comp) == 0:
            out.add(frozenset(cond.nodes[comp]["members"]))
    return out


def fixed_points(net):
    """Sorted codes of the states equal to their synchronous successor."""
    return sorted(encode(net, s) for s in all_states(net) if sync_successor(net, s) == s)


def functions_equal(net_a, net_b):
    """True if both networks have the same nodes and every rule has the same truth table."""
    if set(net_a.nodes) != set(net_b.nodes):
        return False
    for n in net_a.nodes:
        regs = sorted(set(net_a.regulators(n)) | set(net_b.regulators(n)))
        for values in itertools.product((0, 1), repeat=len(regs)):
            st = dict(zip(regs, values))
            if evaluate(net_a.rules[n], st) != evaluate(net_b.rules[n], st):
                return False
    return True
