"""The stochastic-simulation kernel compiled ahead of time (built once per machine).

:func:`logicnet.simulation.simulate` runs the numba kernel of
:mod:`logicnet.engine.gillespie`.  Even with numba's cache warm, a process pays about
0.5 s of CPU before the first trajectory (numba's import, its typing registries, and
SciPy's linear algebra, which numba imports to look for a BLAS): more than 20,000
trajectories of a 10-node network take.  :func:`build` compiles the same Python
function once with ``numba.pycc`` into an extension module that needs only numpy
(loaded in about a millisecond); :func:`trajectories` runs that module when it was
built from the current kernel, else the numba kernel.  Same source, same floating-point
operations, same results (``tests/test_simulate.py`` compares them bit for bit).

``pip install`` builds it into the package when a C compiler is present (``setup.py``;
about 20 s, skipped with ``LOGICNET_NO_AOT=1``).  Otherwise, or after upgrading numpy,
build it once (needs setuptools and a C compiler)::

    python -m logicnet.engine.aot

That module goes to ``$LOGICNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/logicnet``, else
``~/.cache/logicnet``.  Its name carries a hash of the kernel's source, the Python
version and numpy's, so a module built for other versions is never loaded: ``simulate``
falls back to numba until it is built again.

Examples
--------
>>> module_name().startswith("logicnet_gillespie_")
True
"""

from __future__ import annotations

import os
import sys

__all__ = ["trajectories", "build", "load", "module_name", "cache_dir", "SIGNATURE"]

#: The kernel's argument and result types (``gillespie.trajectories``), for numba.pycc.
SIGNATURE = ("i8(i8, i8[:,:], i8[:], i8[:], u1[:], f8[:], f8[:], f8[:], i8[:,:], i8[:], i8[:], u1[:], i8, "
             "f8, f8, i8, i8, i8, i8, f8[:,:], f8[:,:], u8[:,:], b1)")

_KERNEL = []

#: Where the install compiles the module (``setup.py``), searched before :func:`cache_dir`.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def cache_dir() -> str:
    """Where :func:`build` writes the module and :func:`load` looks for it.

    Examples
    --------
    >>> cache_dir().endswith("logicnet") or "LOGICNET_CACHE_DIR" in os.environ
    True
    """
    if os.environ.get("LOGICNET_CACHE_DIR"):
        return os.environ["LOGICNET_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "logicnet")


def module_name() -> str:
    """The extension module's name: a hash of the kernel's source, the Python version and
    numpy's (a module built from other code is never loaded)."""
    import hashlib

    import numpy

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gillespie.py"), "rb") as fh:
        source = fh.read()
    key = b"\0".join([source, SIGNATURE.encode(), sys.implementation.cache_tag.encode(), numpy.__version__.encode()])
    return "logicnet_gillespie_" + hashlib.sha256(key).hexdigest()[:16]


def load(directory: str | None = None):
    """The compiled module built for the current kernel, or ``None`` when there is none.

    Looked for in ``directory`` when given, else beside this file (where the install
    compiles it, see ``setup.py``) and then in :func:`cache_dir`."""
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    name = module_name()
    spec = PathFinder.find_spec(name, [directory] if directory else [PACKAGE_DIR, cache_dir()])
    if spec is None or spec.loader is None:
        return None
    if name in sys.modules:  # an extension module is initialised once per process
        return sys.modules[name]
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return module


def build(directory: str | None = None) -> str:
    """Compile the kernel into ``directory`` (default :func:`cache_dir`); return the file.

    The module is compiled in a temporary directory beside the target and moved into
    place, so a failed or interrupted build leaves nothing behind.

    Raises
    ------
    LogicnetError
        When numba.pycc cannot compile (no C compiler or setuptools): the message
        says so; ``simulate`` keeps using the numba kernel.
    """
    import shutil
    import tempfile
    import warnings

    from ..errors import LogicnetError

    target = directory or cache_dir()
    os.makedirs(target, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".build-", dir=target)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numba.pycc's pending-deprecation notice
            from numba.pycc import CC

            from . import gillespie

            cc = CC(module_name())
            cc.output_dir = work  # generic x86-64 / aarch64 code: a shared home directory may
            # serve machines with other processors
            cc.export("trajectories", SIGNATURE)(gillespie.trajectories.py_func)
            try:
                cc.compile()
            except Exception as err:  # noqa: BLE001 - distutils and the compiler raise many types
                raise LogicnetError(
                    f"could not compile the simulation kernel ahead of time ({type(err).__name__}: {err}); "
                    "it needs setuptools and a C compiler (gcc or clang). `simulate` keeps using the "
                    "numba kernel, which gives the same results after a longer start.") from None
        built = [f for f in os.listdir(work) if f.startswith(module_name() + ".")]
        if len(built) != 1:
            raise LogicnetError(f"compiling the simulation kernel left {built or 'no file'} in {work}")
        path = os.path.join(target, built[0])
        os.replace(os.path.join(work, built[0]), path)
        return path
    finally:
        shutil.rmtree(work, ignore_errors=True)


def trajectories(*args):
    """``gillespie.trajectories`` (same arguments and result), by the compiled module when
    it was built for the current kernel (see :func:`build`), else by numba."""
    if not _KERNEL:
        module = None
        try:
            module = load()
        except ImportError:  # a module from another machine or a broken file: numba instead
            module = None
        if module is not None:
            _KERNEL.append(module.trajectories)
        else:
            from .gillespie import trajectories as jit

            _KERNEL.append(jit)
    return _KERNEL[0](*args)


if __name__ == "__main__":  # pragma: no cover - exercised by tests/test_simulate.py through build()
    print(f"compiling the simulation kernel into {cache_dir()} (about 20 s) ...", file=sys.stderr)
    print(build())
