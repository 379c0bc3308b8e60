"""Jinja's runtime with shorter paths for what this site's templates do most: call
functions and read fields of dict rows. Same results as Jinja's own (tests/test_jinjaquick.py
renders every page both ways).

Calls. Every call in a template (`loc.t(...)`, `ctx.link(...)`, a macro) goes through
Context.call, which asks each callable, and its `__call__`, whether it wants the context,
the eval context or the environment passed in. The pages of a large site make hundreds of
thousands of such calls (about a quarter of a full render at 250 indicators x 20
periods), and almost all go to plain functions, bound methods and macros. For those,
`__call__` cannot carry a marker, so one look at the callable itself answers; any other
callable takes Jinja's own path.

Remembered calls. A league table or an agency page with 20 periods draws the same few
status cells and criterion names thousands of times; `remembered(m.agency_status)` in a
template answers each distinct call once per page (macros and lookups are pure within a page).

Fields. `row.status` asks for the attribute first and the item second, so on a dict row
every field read raises and catches an AttributeError. A plain dict has no attributes but
dict's own, so for any other name the item is the answer Jinja would reach anyway.
"""

from __future__ import annotations

import types

from jinja2 import Environment
from jinja2.runtime import Context, Macro
from jinja2.utils import _PassArg  # how Context.call itself reads the markers (Jinja is pinned)

# Callables whose `__call__` never carries a pass_* marker: only the callable itself can.
PLAIN_TYPES = (types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, Macro)
DICT_ATTRIBUTES = frozenset(dir(dict))  # all a plain dict answers to as attributes


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


class QuickEnvironment(Environment):
    """An Environment whose templates run with QuickCallContext and read dict fields directly."""

    context_class = QuickCallContext

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja's own path gives the undefined value
        return super().getattr(obj, attribute)


def remembered(function):
    """`function` answering each distinct (positional) call once: a template makes one per
    page, for a macro or lookup it calls with the same few arguments on every row."""
    answers = {}

    def call(*args):
        try:
            return answers[args]
        except KeyError:
            answers[args] = answer = function(*args)
            return answer

    return call
