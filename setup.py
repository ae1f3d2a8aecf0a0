"""Build hook: compile the stochastic-simulation kernel ahead of time at install.

Everything else is declared in pyproject.toml.  ``logicnet simulate`` runs a numba kernel;
loading numba costs about 0.5 s of CPU per process, more than a small simulation takes.
When a C compiler is present, the same kernel is compiled here with ``numba.pycc``
(``logicnet.engine.aot.build``) into the package, so ``simulate`` starts without numba.
Without a compiler the install goes on and ``simulate`` uses numba (same numbers).
"""

import os
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution


def _compile_kernel(target: str) -> None:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        from logicnet.engine import aot

        print(f"logicnet: compiling the simulation kernel into {target} (about 20 s)", file=sys.stderr)
        aot.build(target)
    except Exception as err:  # noqa: BLE001 - any failure leaves simulate on numba, never the install
        print(f"logicnet: the simulation kernel was not compiled ahead of time ({err}); "
              "simulate will use numba (same results, about 0.5 s longer start)", file=sys.stderr)
    finally:
        sys.path.pop(0)


class BuildWithKernel(build_py):
    """``build_py`` plus the compiled kernel (in place for an editable install)."""

    def run(self):
        super().run()
        if os.environ.get("LOGICNET_NO_AOT"):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        package = os.path.join(here if self.editable_mode else self.build_lib, "logicnet", "engine")
        _compile_kernel(package)


class BinaryDistribution(Distribution):
    """The wheel holds a compiled module: tag it for this platform and Python."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithKernel}, distclass=BinaryDistribution)
