"""A Jinja context whose calls from templates cost less.

Every call in a template (`loc.t(...)`, `ctx.link(...)`, a macro) goes through
Context.call, which asks each callable, and its `__call__`, whether it wants the context,
the eval context or the environment passed in. The pages of a large site make hundreds of
thousands of such calls (about a quarter of a full render at 250 indicators x 20
periods), and almost all go to plain functions, bound methods and macros. For those,
`__call__` cannot carry a marker, so one look at the callable itself answers; any other
callable takes Jinja's own path.
"""

from __future__ import annotations

import types

from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg

# Callables whose `__call__` never carries a pass_* marker: only the callable itself can.
PLAIN_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, Macro)


class QuickCallContext(Context):
    """Context.call with the same result, and a short path for plain callables."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        if type(__obj) in PLAIN_TYPES and _PassArg.from_obj(__obj) is None:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)
