"""Doctest namespace for ``pytest --doctest-modules logicnet`` (as networkx injects ``nx``)."""

import pytest

import logicnet


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["logicnet"] = logicnet
    doctest_namespace["Network"] = logicnet.Network
