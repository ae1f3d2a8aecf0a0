"""Log lines at INFO and DEBUG without importing :mod:`logging` (about 7 ms of a process).

Until something imports :mod:`logging`, nothing can have set up a handler, and INFO and
DEBUG records would be dropped anyway (the root logger's level is WARNING); the command
line imports it only for ``-v``.  So a record is made only when logging is loaded.

Examples
--------
>>> import logging, io
>>> out = io.StringIO(); handler = logging.StreamHandler(out)
>>> logging.getLogger("logicnet.example").addHandler(handler)
>>> logging.getLogger("logicnet.example").setLevel(logging.INFO)
>>> info("logicnet.example", "%d attractor(s)", 3); out.getvalue()
'3 attractor(s)\\n'
"""

from __future__ import annotations

import sys

__all__ = ["info", "debug"]


def info(name: str, msg: str, *args) -> None:
    """``logging.getLogger(name).info(msg, *args)`` when :mod:`logging` is loaded."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(name).info(msg, *args)


def debug(name: str, msg: str, *args) -> None:
    """``logging.getLogger(name).debug(msg, *args)`` when :mod:`logging` is loaded."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(name).debug(msg, *args)
