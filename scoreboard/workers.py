"""Jobs in child processes, one per core: the two languages of a build, Frictionless's row
checks beside the cross-file checks on large data."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import sys


def context() -> multiprocessing.context.BaseContext:
    """fork is quickest (children inherit the data and compiled templates instead of
    receiving them pickled), but a process whose vl_convert engine is running has threads
    that a fork must not copy: then spawn."""
    return multiprocessing.get_context("spawn" if "vl_convert" in sys.modules else "fork")


def map_in_processes(function, jobs: list, processes: int) -> list:
    """function(job) for every job: in child processes, one a job, when `processes` > 1;
    in this process, in turn, otherwise."""
    if processes <= 1 or len(jobs) <= 1:
        return [function(job) for job in jobs]
    with concurrent.futures.ProcessPoolExecutor(len(jobs), mp_context=context()) as pool:
        return list(pool.map(function, jobs))
