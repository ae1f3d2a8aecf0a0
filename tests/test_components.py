"""The engines' component helpers against networkx on random graphs."""

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from logicnet.engine.components import feedback_vertex_set, strongly_connected, weakly_connected

graphs = st.integers(1, 12).flatmap(
    lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n)))


def both_forms(graph):
    """The drawn graph as ``{node: successors}`` and as a networkx DiGraph."""
    n, edges = graph
    succ = {v: [] for v in range(n)}
    for u, v in edges:
        succ[u].append(v)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    return succ, g


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_components_equal_networkx(graph):
    n, edges = graph
    succ, g = both_forms(graph)
    strong = strongly_connected(succ)
    assert sorted(map(sorted, strong)) == sorted(map(sorted, nx.strongly_connected_components(g)))
    assert all(c == sorted(c) for c in strong) and [c[0] for c in strong] == sorted(c[0] for c in strong)
    weak = weakly_connected(list(range(n)), edges)
    assert sorted(map(sorted, weak)) == sorted(map(sorted, nx.weakly_connected_components(g)))
    assert all(c == sorted(c) for c in weak) and [c[0] for c in weak] == sorted(c[0] for c in weak)


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_feedback_vertex_set_leaves_a_dag_in_topological_order(graph):
    succ, g = both_forms(graph)
    cut, rest = feedback_vertex_set(succ)
    assert sorted(cut + rest) == list(range(graph[0]))  # a partition
    h = g.subgraph(rest)
    assert nx.is_directed_acyclic_graph(h)  # self-loops included
    place = {v: i for i, v in enumerate(rest)}
    assert all(place[u] < place[v] for u, v in h.edges)


def test_a_long_path_needs_no_recursion():
    n = 20000
    succ = {v: [v + 1] for v in range(n - 1)} | {n - 1: [0]}
    assert [len(c) for c in strongly_connected(succ)] == [n]


def test_the_engines_do_not_import_networkx():
    """Its import alone takes about 0.2 s, more than most engine runs (see the module)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from logicnet import Network\n"
            "from logicnet.attractors import count_attractors, fixed_points\n"
            "from logicnet.engine.decompose import negative_feedback_vertex_set\n"
            "net = Network.from_rules('A* = not B\\nB* = not A\\nC* = not C and A\\nD* = D')\n"
            "assert negative_feedback_vertex_set(net) == ('C',)\n"
            "assert len(fixed_points(net)) == 2 and count_attractors(net, update='asynchronous') == 4\n"
            "assert 'networkx' not in sys.modules, 'networkx imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
