"""pytest options for the test suite."""


def pytest_addoption(parser):
    parser.addoption("--max-nodes", type=int, default=28,
                     help="Largest model (total variables) the corpus sweeps run exhaustively.")


# Re-exported for tests that import the corpus helpers from here.
from .corpus import MODELS, SHARED, model_info, model_params, quiet_read, shared_models  # noqa: E402,F401
