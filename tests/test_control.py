"""logicnet control: answers checked by hand, against the peers' recorded answers
(biodivine-aeon 1.4.2, BoNesis 0.7.1, CABEAN 2.0's published case study; see the
control survey), and through the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import logicnet
from logicnet import Network
from logicnet.errors import LogicnetError

from .corpus import MODELS

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
STUDY = ROOT / "networks" / "igf_axis.toml"


def sets_of(result) -> set[frozenset]:
    return {frozenset(s.perturbation.items()) for s in result}


def S(**kw) -> frozenset:
    return frozenset(kw.items())


# -- the toy network of the survey (3.4): percolation alone misses {D = 1} ------------------

TOY = "A* = 1\nB* = A and not C\nC* = B or C\nD* = not C and E\nE* = D or A\nP* = D and not B"


@pytest.mark.parametrize("update", ["async", "mp", "all", "sync"])
def test_toy_network_has_exactly_the_two_sets_aeon_and_bonesis_find(update):
    res = logicnet.control(Network.from_rules(TOY), phenotype="target=P", fix={"A": 1},
                           targets=["B", "C", "D", "E"], update=update, verdicts="all")
    assert sets_of(res) == {S(D=1), S(B=0, C=0)}
    assert res.complete and res.counts == {1: 1, 2: 1, 3: 0}
    d = next(s for s in res if s.size == 1)
    # D = 1 works because C turns off on its own, not by percolation from D alone
    assert d.certificate != "percolation" or update != "async"


def test_each_size_states_the_sets_left_and_an_estimate_before_its_checks():
    """Before each size, the sets no cut excludes yet are counted; each checked set is one of
    them (a cut found during the size only removes more), and the plan says so."""
    lines: list[str] = []
    res = logicnet.control(Network.from_rules(TOY), phenotype="target=P", fix={"A": 1},
                           targets=["B", "C", "D", "E"], update="async", plan=lines.append)
    assert [x["size"] for x in res.sizes] == [1, 2, 3]
    # size 1: the eight literals on B, C, D, E; the untreated network's trap space outside
    # the phenotype (C on, B and D off) already excludes the ones that keep it
    assert all(0 <= x["checked"] <= x["left"] <= 8 * 7 * 6 for x in res.sizes)
    assert sum(x["checked"] for x in res.sizes) == res.checked
    assert all(x["estimate"] >= 0 and x["seconds"] >= 0 for x in res.sizes)
    size1 = next(ln for ln in lines if ln.startswith("control: size 1:"))
    assert f"{res.sizes[0]['left']} candidate sets left" in size1 and "estimated" in size1
    assert any(ln.startswith("control: size 1 done") for ln in lines)


def test_robustness_counts_the_edge_removals_each_set_survives_and_the_contexts_it_holds_in():
    """P = R or Q with L off: R OE fails once R -> P is removed (R then reads as 0), Q OE once
    Q -> P is; every other edge cannot matter (6 of 7 held).  Across contexts, a set works
    where no context's own fixes override it."""
    from logicnet.io.study import Context, Study

    net = Network.from_rules("L* = L\nR* = L\nP* = R or Q\nQ* = L and R\nX* = not P")
    res = logicnet.control(net, phenotype="on=P", fix={"L": 0}, robustness=True, targets=["R", "Q", "X"])
    assert {s.label: s.robustness for s in res} == {"Q OE": {"edges_total": 7, "edges_held": 6},
                                                    "R OE": {"edges_total": 7, "edges_held": 6}}
    study = Study("toy", Network.from_rules("L* = L\nK* = K\nA* = L\nP* = A and not K"), {}, {},
                  {"rest": Context("rest", {"L": 0, "K": 0}), "stim": Context("stim", {"L": 1, "K": 0}),
                   "blocked": Context("blocked", {"L": 0, "K": 1})}, ())
    res = logicnet.control(study, phenotype="on=P", context="rest", contexts="all", targets=["A"])
    # A OE turns P on wherever K is off; K on keeps P off whatever A does
    assert [(s.label, s.robustness["contexts_held"]) for s in res] == [("A OE", ["rest", "stim"])]
    with pytest.raises(LogicnetError, match="no context 'nope'"):
        logicnet.control(study, phenotype="on=P", context="rest", contexts=["nope"], targets=["A"])


def test_from_condition_takes_the_attractors_of_the_cells_before_the_condition():
    """A memory switch: A* = A or S.  Primed cells (S on) sit in the fixed point S=1, A=1,
    P=0; moved to rest (S off) they stay there.  From those cells, knocking A out until
    they settle turns P on for good, as from the same state given by hand."""
    from logicnet.io.study import Context, Study

    study = Study("switch", Network.from_rules("S* = S\nA* = A or S\nP* = not A"), {}, {},
                  {"rest": Context("rest", {"S": 0}), "primed": Context("primed", {"S": 1})}, ())
    kw = dict(phenotype="on=P", context="rest", hold="temporary", targets=["A"])
    res = logicnet.control(study, source="condition:primed", **kw)
    by_hand = logicnet.control(study, source={"S": 1, "A": 1, "P": 0}, **kw)
    assert sets_of(res) == sets_of(by_hand) == {S(A=0)}
    assert res.question["from"] == "condition:primed" and "attractors of primed" in res.describe()
    with pytest.raises(LogicnetError):
        logicnet.control(study, source="condition:nowhere", **kw)


def test_toy_network_by_hand_every_single_and_pair():
    """Brute force over every perturbation of size <= 2, by the attractors of each."""
    from logicnet.attractors import find_attractors
    from logicnet.phenotype import holds_everywhere

    net = Network.from_rules(TOY)
    lits = [(n, v) for n in "BCDE" for v in (0, 1)]
    works = set()
    for a in lits:
        for b in lits + [None]:
            p = dict([a] + ([b] if b else []))
            if b and b[0] == a[0]:
                continue
            aset = find_attractors(net, update="asynchronous", fix={"A": 1, **p})
            if holds_everywhere(aset, "P"):
                works.add(frozenset(p.items()))
    minimal = {w for w in works if not any(o < w for o in works)}
    res = logicnet.control(net, phenotype="target=P", fix={"A": 1}, targets=list("BCDE"), max_size=2)
    assert sets_of(res) == minimal


def test_each_set_is_checked_once_when_counterexample_cuts_are_grounded(monkeypatch):
    """Under ``all``, a set that holds under most permissive update but fails under
    synchronous update gives no cut; it must still be checked only once, although the
    counterexample program's own atoms make several answer sets of it."""
    import logicnet.controlling as controlling

    seen: list = []
    check = controlling._check
    monkeypatch.setattr(controlling, "_check", lambda pb, p, cuts=True: (seen.append(p), check(pb, p, cuts))[1])
    net = Network.from_rules("A* = not B\nB* = not A\nC* = C\nD* = D\nE* = E\n"
                             "P* = (A or B) and not C and (D or E)")
    res = logicnet.control(net, phenotype="p=P", update="all", max_size=3, targets=list("ABCDE"))
    # sync: A and B oscillate together unless one is fixed; C off and D or E on fix P's other inputs
    assert sorted(s.label for s in res) == sorted(f"{a} + C KO + {d} OE" for a in ("A KO", "A OE", "B KO", "B OE")
                                                  for d in ("D", "E"))
    assert len(seen) == len(set(seen))


def test_goal_touch_and_reachable_differ_from_robust_on_an_oscillation():
    # X oscillates under any update unless fixed; P = X
    net = Network.from_rules("X* = not X\nK* = K\nP* = X or K")
    robust = logicnet.control(net, phenotype="p=P", targets=["X", "K"], max_size=1)
    touch = logicnet.control(net, phenotype="p=P", targets=["X", "K"], max_size=1, goal="touch")
    assert sets_of(robust) == {S(X=1), S(K=1)}
    # under 'touch' the oscillation of X already meets P in every attractor when K is off... and K on holds it
    assert touch.none_possible.startswith("no perturbation is needed")
    reach = logicnet.control(net, phenotype="p=P and not X", targets=["K"], max_size=1, goal="reachable")
    assert sets_of(reach) == set() or all(s.verdicts["asynchronous"] is not False for s in reach)


def test_synchronous_verdict_sees_a_cycle_that_asynchronous_update_does_not():
    # async: X and Y settle to 10 or 01; sync from 00 / 11 they oscillate together
    net = Network.from_rules("X* = not Y\nY* = not X\nZ* = Z\nP* = (X and not Y) or (Y and not X) or Z")
    res = logicnet.control(net, phenotype="p=P", targets=["Z"], max_size=1, update="async")
    assert res.none_possible.startswith("no perturbation is needed")
    res = logicnet.control(net, phenotype="p=P", targets=["Z", "X"], max_size=1, update="sync", verdicts="all")
    assert sets_of(res) == {S(Z=1), S(X=0), S(X=1)}
    for s in res:
        assert s.verdicts == {"asynchronous": True, "synchronous": True, "most_permissive": True}


# -- the IGF axis: HCC + lenvatinib (A1) -----------------------------------------------------


@pytest.fixture(scope="module")
def igf():
    return logicnet.read_study(STUDY)


def test_igf_hcc_lenvatinib_five_single_knockouts_under_every_scheme(igf):
    res = logicnet.control(igf, phenotype="sensitive", context="HCC", drugs=["lenvatinib"], max_size=3,
                           verdicts="all")
    assert sets_of(res) == {S(FAK=0), S(HIF1A=0), S(Hypoxia=0), S(IGFBP1=0), S(ITGA5B1=0)}
    assert res.complete and res.sizes_complete == (1, 2, 3)
    for s in res:
        assert s.verdicts == {"asynchronous": True, "synchronous": True, "most_permissive": True}
        assert s.temporary_suffices is False  # the untreated cell has only the resistant fixed point
    assert "not Angiogenesis" in res.describe()


def test_igf_working_set_counts_equal_aeons(igf):
    """AEON 1.4.2, phenotype_permanent over the 63 non-constant nodes: 5 / 564 / 31,334."""
    res = logicnet.control(igf, phenotype="sensitive", context="HCC", drugs=["lenvatinib"], max_size=3,
                           targets="all", all_sets=True)
    assert len(res.question["candidates"]) == 63
    assert res.working_counts == {1: 5, 2: 564, 3: 31334}


def test_igf_pairs_agree_with_the_screen(igf):
    """Every working pair of the exhaustive screen contains one of the minimal singles."""
    scr = logicnet.screen(igf, context="HCC", drugs=["lenvatinib"], update="asynchronous", overexpress=True,
                          all_pairs=True)
    complete = {frozenset(h.intervention.items()) for h in scr.results if h.complete}
    res = logicnet.control(igf, phenotype="sensitive", context="HCC", drugs=["lenvatinib"], max_size=2,
                           all_sets=True)
    minimal = sets_of(res)
    assert {c for c in complete if len(c) == 1} == minimal
    assert all(any(m <= c for m in minimal) for c in complete)
    assert res.working_counts[2] == sum(1 for c in complete if len(c) == 2)


def test_igf_over_drugs_lists_the_single_drugs_the_drug_screen_finds_complete(igf):
    res = logicnet.control(igf, phenotype="sensitive", context="HCC", drugs=["lenvatinib"], over="drugs")
    scr = logicnet.screen(igf, context="HCC", drugs=["lenvatinib"], update="asynchronous", drug_pairs=True,
                          max_order=2)
    complete = {h.drugs_added for h in scr.results if h.complete and h.drugs_added and not h.intervention}
    assert {s.combination for s in res} == {c for c in complete if len(c) == 1} == {("CT-707",), ("ceritinib",)}
    assert res.question["over"] == "drugs" and all(s.size == 1 for s in res)
    assert "combinations of at most 3 of the study's" in res.describe()


def test_drugs_that_fix_a_node_both_ways_are_never_combined():
    from logicnet.io.study import Drug, Study
    from logicnet.phenotype import Phenotype

    # together, d1 and d2 would give B, C and not A only if d2's A = 0 silently won over d1's A = 1
    net = Network.from_rules("A* = A\nB* = B\nC* = C\nP* = B and C and not A")
    study = Study("t", net, {"p": Phenotype.parse("p", "P")},
                  {"d1": Drug("d1", activates=("A", "B")), "d2": Drug("d2", inhibits=("A",), activates=("C",)),
                   "d3": Drug("d3", activates=("B",))}, {}, ())
    res = logicnet.control(study, phenotype="p", over="drugs")
    assert [s.combination for s in res] == [("d2", "d3")]


# -- published models (skipped without ../shared) -------------------------------------------

needs_models = pytest.mark.skipif(not MODELS.is_dir(), reason="../shared/models is not present")


def _bbm092():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = logicnet.read_network(MODELS / "bbm092_hepatocellular_carcinoma.bnet")
    return net, {n: 1 for n in net.inputs}


#: BoNesis 0.7.1 marker_reprogramming (most permissive), bbm092 with its 8 inputs on, E-cadherin on, k = 3
BONESIS_Q1 = ({frozenset({("v_catenin_memb", 1), (x, 0)}) for x in (
    "v_FOXC2", "v_HEY1", "v_SNAI1", "v_SNAI2", "v_TWIST1", "v_ZEB1", "v_ZEB2")}
    | {frozenset({("v_catenin_memb", 1), ("v_miR200", 1)})}
    | {frozenset({("v_catenin_memb", 1), ("v_SMAD", 0), (x, 0)}) for x in (
        "v_Csl", "v_DELTA", "v_NOTCH", "v_NOTCH_ic", "v_RAS")})


@needs_models
def test_bbm092_e_cadherin_the_thirteen_sets_bonesis_finds_with_three_verdicts():
    net, fix = _bbm092()
    res = logicnet.control(net, phenotype="ecad=v_E_cadherin", fix=fix, max_size=3, verdicts="all")
    assert sets_of(res) == BONESIS_Q1
    assert res.counts == {1: 0, 2: 8, 3: 5}
    assert all(s.verdicts == {"asynchronous": True, "synchronous": True, "most_permissive": True} for s in res)


@needs_models
def test_bbm092_epithelial_no_set_of_any_size_stated_at_once():
    net, fix = _bbm092()
    res = logicnet.control(net, phenotype="epithelial=v_E_cadherin & !v_SNAI1", fix=fix, max_size=3)
    assert len(res) == 0 and res.complete
    assert res.none_possible.startswith("no set of any size")
    assert "v_SNAI1=1" in res.none_possible
    assert res.checked == 0


#: biodivine-aeon 1.4.2 phenotype_permanent (asynchronous), bbm148, k = 2: 13 minimal sets
AEON_Q2_K2 = ({S(v_TCF=0), S(v_betacatenin=0)}
              | {frozenset({("v_betaTrCP", 1), x}) for x in (
                  ("v_AKT", 0), ("v_Egr1", 1), ("v_GRB2", 0), ("v_IKKA", 0), ("v_PDK1", 0), ("v_PI3K", 0),
                  ("v_PTEN", 1), ("v_PTENgene", 1), ("v_Ras", 0), ("v_SHC1", 0), ("v_SOS", 0))})


@needs_models
def test_bbm148_sets_up_to_pairs_equal_aeons_and_sync_verdicts_split_them():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = logicnet.read_network(MODELS / "bbm148_ags_cell_fate_decision.bnet")
    res = logicnet.control(net, phenotype="sensitive=v_Antisurvival_b1 & !v_Prosurvival_b1", max_size=2,
                           verdicts="all")
    assert sets_of(res) == AEON_Q2_K2
    assert all(s.verdicts["asynchronous"] and s.verdicts["most_permissive"] for s in res)
    # the control survey's re-check: of these, only TCF KO holds under synchronous update
    assert {s.label for s in res if s.verdicts["synchronous"]} == {"v_TCF KO"}


# -- myeloid differentiation: source-target control (CABEAN's case study) --------------------

MEGAKARYOCYTE = dict(GATA2=0, GATA1=1, FOG1=1, EKLF=0, Fli1=1, SCL=1, CEBPA=0, PU1=0, cJun=0, EgrNab=0, Gfi1=0)
MONOCYTE = dict(GATA2=0, GATA1=0, FOG1=0, EKLF=0, Fli1=0, SCL=0, CEBPA=1, PU1=1, cJun=1, EgrNab=1, Gfi1=0)
MONO = "monocyte=" + " and ".join(n if v else f"not {n}" for n, v in MONOCYTE.items())


def _myeloid(**kw):
    """The bundled model (networks/myeloid.bnet: Krumsiek 2011, CABEAN's case study)."""
    return logicnet.control(logicnet.read_network("myeloid"), phenotype=MONO, allow_phenotype_nodes=True, **kw)


def test_myeloid_one_step_from_the_megakaryocyte_is_cabeans_five_flips():
    res = _myeloid(source=MEGAKARYOCYTE, hold="one-step", max_size=5)
    assert sets_of(res) == {S(GATA1=0, EgrNab=1, CEBPA=1, PU1=1, cJun=1)}


@pytest.mark.parametrize("hold", ["temporary", "permanent"])
def test_myeloid_temporary_and_permanent_are_aeons_four_sets_with_clamps(hold):
    res = _myeloid(source=MEGAKARYOCYTE, hold=hold)
    aeon = {S(EgrNab=1, CEBPA=1, PU1=1), S(GATA1=0, EgrNab=1, CEBPA=1), S(CEBPA=1, PU1=1, Gfi1=0),
            S(CEBPA=1, GATA1=0, Gfi1=0)}
    assert sets_of(res) == aeon
    assert {s.label for s in res if s.clamps} == {"CEBPA OE + Gfi1 KO + PU1 OE", "CEBPA OE + GATA1 KO + Gfi1 KO"}
    cabean = _myeloid(source=MEGAKARYOCYTE, hold=hold, clamp=False)
    assert sets_of(cabean) == {S(EgrNab=1, CEBPA=1, PU1=1), S(GATA1=0, EgrNab=1, CEBPA=1)}


@pytest.mark.parametrize("hold", ["temporary", "permanent", "one-step"])
def test_myeloid_on_decision_diagrams_gives_the_same_sets_as_state_by_state(hold, monkeypatch):
    """Holds and given initial states beyond the state-by-state limit are answered on
    decision diagrams; forced onto them here, the myeloid answers are unchanged (AEON's and
    CABEAN's sets, clamps included)."""
    import logicnet.engine.control as engine_control

    kw = dict(source=MEGAKARYOCYTE, hold=hold, max_size=5 if hold == "one-step" else 3)
    by_states = _myeloid(**kw)
    monkeypatch.setattr(engine_control, "MAX_STATE_VARIABLES", 0)
    on_bdds = _myeloid(**kw)
    assert sets_of(on_bdds) == sets_of(by_states) and len(by_states) > 0
    assert [s.clamps for s in on_bdds] == [s.clamps for s in by_states]


def test_igf_temporary_control_is_impossible_and_said_at_once(igf):
    """Under HCC + lenvatinib no attractor is sensitive, so nothing released can stay
    sensitive: stated without checking a set (64 free nodes: on decision diagrams)."""
    res = logicnet.control(igf, context="HCC", drugs=["lenvatinib"], hold="temporary")
    assert len(res) == 0 and res.complete and res.checked == 0
    assert res.none_possible.startswith("no temporary control at any size")
    permanent = logicnet.control(igf, context="HCC", drugs=["lenvatinib"], source="attractors", max_size=1)
    assert sorted(s.label for s in permanent) == ["FAK KO", "HIF1A KO", "Hypoxia KO", "IGFBP1 KO", "ITGA5B1 KO"]


def test_myeloid_from_every_state_is_cabeans_target_control():
    res = _myeloid()
    assert sets_of(res) == {S(EgrNab=1, CEBPA=1, PU1=1), S(CEBPA=1, PU1=1, Gfi1=0)}


def test_temporary_control_needs_an_attractor_that_keeps_the_phenotype():
    # Q OE holds P only while it is held; T OE switches the memory M on for good
    net = Network.from_rules("M* = M or T\nT* = 0\nQ* = 0\nP* = M or Q")
    start = dict(M=0, T=0, Q=0, P=0)
    perm = logicnet.control(net, phenotype="p=P", targets=["T", "Q", "M"], source=start, max_size=1)
    temp = logicnet.control(net, phenotype="p=P", targets=["T", "Q", "M"], source=start, max_size=1,
                            hold="temporary")
    assert sets_of(perm) == {S(T=1), S(Q=1), S(M=1)}
    assert sets_of(temp) == {S(T=1), S(M=1)}
    assert {s.label: s.temporary_suffices for s in perm} == {"M OE": True, "T OE": True, "Q OE": False}


# -- errors and the command line ---------------------------------------------------------------


@pytest.mark.parametrize("kw, words", [
    ({"goal": "forever"}, "unknown goal"), ({"hold": "tight"}, "unknown hold"),
    ({"update": "chaotic"}, "unknown update scheme"), ({"max_size": 7}, "1 to 6"),
    ({"targets": ["Nope"]}, "no node 'Nope'"), ({"exclude": ["Nope+"]}, "no node 'Nope'"),
])
def test_bad_questions_are_refused_with_a_sentence(kw, words):
    with pytest.raises(LogicnetError, match=words):
        logicnet.control(Network.from_rules(TOY), phenotype="t=P", **kw)


def test_mp_with_given_initial_states_is_refused_not_guessed():
    with pytest.raises(LogicnetError, match="most permissive"):
        logicnet.control(Network.from_rules(TOY), phenotype="t=P", update="mp", source={"A": 1})


def test_exclude_directions_follow_cabean():
    net = Network.from_rules(TOY)
    res = logicnet.control(net, phenotype="t=P", fix={"A": 1}, targets=list("BCDE"), exclude=["D+"])
    assert sets_of(res) == {S(B=0, C=0)}
    res = logicnet.control(net, phenotype="t=P", fix={"A": 1}, targets=list("BCDE"), knockout=False)
    assert sets_of(res) == {S(D=1)}


def test_cli_json_shape_and_table(tmp_path):
    from cli import main

    f = tmp_path / "toy.bnet"
    f.write_text("A, 1\nB, A & !C\nC, B | C\nD, !C & E\nE, D | A\nP, D & !B\n")
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "t=P", "--targets", "B,C,D,E",
                                  "--format", "json", "--verdicts", "all"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["complete"] is True and doc["counts"] == {"1": 1, "2": 1, "3": 0}
    assert doc["question"]["goal"] == "robust" and doc["question"]["hold"] == "permanent"
    assert [s["perturbation"] for s in doc["sets"]] == [{"D": 1}, {"B": 0, "C": 0}]
    assert doc["sets"][0]["verdicts"] == {"asynchronous": True, "synchronous": True, "most_permissive": True}
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "t=P", "--targets", "B,C,D,E"])
    assert r.exit_code == 0 and "D OE" in r.output and "Question: every asynchronous attractor" in r.output
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "t=P", "--targets", "B,C,D,E", "--top", "1"])
    assert r.exit_code == 0 and "D OE" in r.output and "B KO" not in r.output and "best 1 of 2 sets" in r.output
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "t=P", "--format", "csv"])
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("rank,set,size,asynchronous")


def test_cli_unknown_node_in_from_is_a_clear_error(tmp_path):
    from cli import main

    f = tmp_path / "toy.bnet"
    f.write_text("A, A\nB, A\n")
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "t=B", "--from", "Q=1"])
    assert r.exit_code != 0 and "Traceback" not in r.output and "Q" in r.output


def test_share_goal_by_hand_and_on_the_command_line(tmp_path):
    """A* = A & !B, B* = B | C, C* = C, P* = A.  Asynchronous share of the states ending only
    in attractors with P (by hand, over A, B, C; P follows A): untreated 1/8 (A = 1, B = C = 0);
    B KO 1/2 (A = 1); C KO 1/4 (A = 1, B = 0); A OE 1."""
    from cli import main

    net = Network.from_rules("A* = A and not B\nB* = B or C\nC* = C\nP* = A")
    for x, want in [("0.1", {S(A=1), S(B=0), S(C=0)}), ("0.25", {S(A=1), S(B=0), S(C=0)}),
                    ("0.5", {S(A=1), S(B=0)}), ("1", {S(A=1)})]:
        if x == "0.1":  # the untreated network already reaches it
            res = logicnet.control(net, phenotype="on=P", max_size=2, goal=f"share:{x}")
            assert not list(res) and res.none_possible.startswith("no perturbation is needed")
            continue
        res = logicnet.control(net, phenotype="on=P", max_size=2, goal=f"share:{x}")
        assert sets_of(res) == want, x
    f = tmp_path / "toy.bnet"
    f.write_text("A, A & !B\nB, B | C\nC, C\nP, A\n")
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "on=P", "--goal", "share:0.5",
                                  "--max-size", "2", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["question"]["goal"] == "share:0.5" and doc["question"]["score"] == "share"
    assert sorted(map(str, (s["perturbation"] for s in doc["sets"]))) == ["{'A': 1}", "{'B': 0}"]
    for bad, words in [(["--goal", "share:1.5"], "at most 1"), (["--goal", "share:x"], "at most 1"),
                       (["--goal", "share:0.5", "--update", "mp"], "asynchronous and synchronous"),
                       (["--goal", "share:0.5", "--hold", "temporary"], "permanent hold")]:
        r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "on=P", *bad])
        assert r.exit_code != 0 and words in r.output and "Traceback" not in r.output, (bad, r.output)


def test_sequential_control_needs_two_steps_by_hand(tmp_path):
    """M latches on a pulse of K; Y latches on J while M is on and K is off.  From the state
    with everything off, no temporary set of K and J turns Y on (K on blocks Y, and without K
    M stays off), but K on, released, then J on does: (K OE, then J OE), nothing else."""
    from cli import main

    rules = "K* = 0\nJ* = 0\nM* = M or K\nY* = Y or (M and J and not K)"
    net = Network.from_rules(rules)
    off = {n: 0 for n in "KJMY"}
    kw = dict(phenotype="on=Y", targets=["K", "J"], source=off, max_size=3)
    for update in ("async", "sync"):
        assert not list(logicnet.control(net, hold="temporary", update=update, **kw))
        res = logicnet.control(net, hold="sequential", update=update, **kw)
        assert [s.steps for s in res] == [({"K": 1}, {"J": 1})], update
        assert res[0].label == "K OE, then J OE" and res[0].size == 2 and res.complete
        assert not list(logicnet.control(net, hold="sequential", max_steps=1, update=update, **kw))
    f = tmp_path / "latch.bnet"
    f.write_text("K, 0\nJ, 0\nM, M | K\nY, Y | (M & J & !K)\n")
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "on=Y", "--targets", "K,J", "--from",
                                  "K=0,J=0,M=0,Y=0", "--hold", "sequential", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["question"]["hold"] == "sequential" and doc["question"]["max_steps"] == 2
    assert [s["steps"] for s in doc["sets"]] == [[{"K": 1}, {"J": 1}]]
    r = CliRunner().invoke(main, ["-q", "control", str(f), "--phenotype", "on=Y", "--targets", "K,J", "--from",
                                  "K=0,J=0,M=0,Y=0", "--hold", "sequential"])
    assert r.exit_code == 0 and "K OE, then J OE" in r.output and "sequences of at most 2 temporary steps" in r.output


def test_worker_processes_and_dask_find_the_same_sets(monkeypatch):
    """Every size goes to the workers (threshold 0) on a question without cuts (a share goal:
    3,700 checks): the sets, their verdicts and the counts are those of one process, and the
    sizes say they ran on workers."""
    from logicnet import controlling
    from logicnet.io.study import read_study
    from logicnet.networks import bundled_path

    study = read_study(bundled_path("igf_axis.toml"))
    kw = dict(context="HCC", goal="share:0.5", max_size=2, explain=False)
    serial = logicnet.control(study, **kw)
    assert serial.checked > 1000 and serial.counts == {1: 0, 2: 18}
    monkeypatch.setattr(controlling, "PARALLEL_SECONDS", 0.0)
    monkeypatch.setattr(controlling, "PILOT_CHECKS", 2)
    monkeypatch.setattr(controlling, "PARALLEL_CHECKED_SHARE", 0.0)
    procs = logicnet.control(study, n_jobs=2, **kw)
    assert [(s.label, s.verdicts) for s in procs] == [(s.label, s.verdicts) for s in serial]
    assert procs.counts == serial.counts and procs.complete
    assert all(x.get("workers") == 2 for x in procs.sizes[1:] if x["left"] > 2)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        with distributed.Client(lc) as client:
            dask = logicnet.control(study, scheduler=client, **kw)
    assert [(s.label, s.verdicts) for s in dask] == [(s.label, s.verdicts) for s in serial]
    assert all(x.get("workers") == 1 for x in dask.sizes[1:] if x["left"] > 2)


@pytest.mark.parametrize("source", ["all", "megakaryocyte"])
def test_release_verdicts_on_decision_diagrams_equal_state_by_state(source, monkeypatch):
    """Beyond the state-by-state limit, ``verdicts="all"`` decides whether each set may be
    released on decision diagrams; forced onto them, the verdicts are the explicit ones."""
    import logicnet.engine.control as engine_control

    net = logicnet.read_network("myeloid")
    kw = dict(phenotype="p=cJun & !Gfi1", source="all" if source == "all" else MEGAKARYOCYTE, max_size=3,
              verdicts="all", explain=False, allow_phenotype_nodes=True)
    by_states = logicnet.control(net, **kw)
    monkeypatch.setattr(engine_control, "MAX_STATE_VARIABLES", 0)
    on_bdds = logicnet.control(net, **kw)
    assert [(s.label, s.temporary_suffices) for s in on_bdds] == [(s.label, s.temporary_suffices) for s in by_states]
    assert {s.temporary_suffices for s in by_states} == {True, False}


@pytest.mark.parametrize("update", ["async", "sync"])
def test_sequential_control_on_decision_diagrams_equals_state_by_state(update, monkeypatch):
    """Beyond the state-by-state limit sequences run on decision diagrams; forced onto them,
    the myeloid sequences (megakaryocyte to monocyte) and the two-step latch are unchanged."""
    import logicnet.engine.control as engine_control

    latch = Network.from_rules("K* = 0\nJ* = 0\nM* = M or K\nY* = Y or (M and J and not K)")
    questions = [(latch, dict(phenotype="on=Y", targets=["K", "J"], source={n: 0 for n in "KJMY"})),
                 (logicnet.read_network("myeloid"), dict(phenotype=MONO, allow_phenotype_nodes=True,
                                                         source=MEGAKARYOCYTE))]
    for net, kw in questions:
        kw.update(hold="sequential", update=update, max_size=3, verdicts="all", explain=False)
        monkeypatch.setattr(engine_control, "MAX_STATE_VARIABLES", 20)
        by_states = logicnet.control(net, **kw)
        monkeypatch.setattr(engine_control, "MAX_STATE_VARIABLES", 0)
        on_bdds = logicnet.control(net, **kw)
        assert [(s.steps, s.verdicts, s.clamps) for s in on_bdds] == [(s.steps, s.verdicts, s.clamps)
                                                                       for s in by_states]
        assert any(len(s.steps) == 2 for s in by_states)


def test_sample_answers_counts_every_answer_and_draws_each_with_equal_chance():
    """Reservoir sampling over clingo's answers: the count is the exact one, a sample holds
    distinct answers, and over many seeds each of the 10 answers is drawn about equally often
    (3 of 10 per draw: 300 of 1,000 expected; binomial sd 14.5)."""
    from logicnet.engine import count_answers, sample_answers

    prog = "2 { a(1..5) } 2. #show a/1."
    assert count_answers(prog) == 10
    seen: dict[tuple, int] = {}
    for seed in range(1000):
        n, sample = sample_answers(prog, 3, seed=seed)
        keys = [tuple(sorted(x.arguments[0].number for x in s)) for s in sample]
        assert n == 10 and len(set(keys)) == 3
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
    assert len(seen) == 10 and all(230 < c < 370 for c in seen.values()), seen
    assert sample_answers(prog, 20)[0] == 10 and len(sample_answers(prog, 20)[1]) == 10
    assert sample_answers(prog, 3, cap=4)[0] is None


def test_a_size_checks_a_random_sample_first_and_finds_the_same_sets():
    """minimal_sets with a pilot: the first checks of a size with more sets left than the pilot
    are a random sample, not clingo's first answers, and the sets found are the same."""
    from logicnet.engine import minimal_sets

    lits = [(v, b) for v in range(8) for b in (0, 1)]
    works = lambda p: ({(0, 1), (3, 0)} <= set(p) or {(5, 1)} <= set(p) or {(1, 0), (2, 1), (7, 1)} <= set(p), None)
    orders = {}
    for pilot in (0, 5):
        seen = []
        st = minimal_sets(lits, 3, lambda p: (seen.append(p), works(p))[1], pilot=pilot)
        orders[pilot] = [p for p in seen if len(p) == 2]
        assert st.found == {1: [((5, 1),)], 2: [((0, 1), (3, 0))], 3: [((1, 0), (2, 1), (7, 1))]}
    assert sorted(orders[0]) == sorted(orders[5]) and orders[0][:5] != orders[5][:5]


def test_a_size_is_timed_from_before_its_count(monkeypatch):
    """A size's time starts before clingo grounds and counts its sets, not after: a count
    that takes 0.2 s is charged to its own size, and the size before it ends before it."""
    import time as _time

    from logicnet import controlling
    from logicnet.engine import control as engine_control
    from logicnet.engine import minimal_sets

    real = engine_control.sample_answers

    def slow(program, k, seed=0, **kw):
        if seed == 2:
            _time.sleep(0.2)
        return real(program, k, seed=seed, **kw)

    monkeypatch.setattr(engine_control, "sample_answers", slow)
    budget = controlling._SizeBudget(None)
    lits = [(v, b) for v in range(5) for b in (0, 1)]
    minimal_sets(lits, 2, lambda p: (False, None), on_size=budget.start, pilot=3)
    budget.finish(None)
    size1, size2 = budget.sizes
    assert size1["seconds"] < 0.2 <= size2["seconds"], budget.sizes
