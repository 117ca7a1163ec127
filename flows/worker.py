"""A warm worker: a Prefect worker on the process pool that runs each flow run it takes in its own process.

Prefect's process worker starts a new Python process for every flow run, which imports Prefect and the
pipeline and loads the OCR models again for every case: on this machine about 5 CPU-seconds a case against
about 15 for reading four A4 pages (docs/scale.md). This worker keeps one process per host warm instead:

- it polls the pool and claims flow runs exactly as Prefect's process worker does (the server accepts one
  worker's Pending proposal for a run, so two workers never take the same run), up to `limit` at once
  (`CASES_IN_HAND` by default: the process has one OCR engine, which reads one page at a time with its
  threads, so a second case in hand keeps it busy while the first's other steps run, and a third would only
  wait for it, holding a case another worker could take);
- each claimed run is executed here, in a thread, by Prefect's own flow engine: it is still a flow run of its
  deployment, with its task runs, logs, heartbeats and final state, visible in the UI like any other;
- the flows are the ones this release imported (the deployment's entrypoint names the module), and the
  engines they use were loaded once when the worker started (`warm_up`).

A host that dies takes its runs with it: they stop beating, and the batch that submitted them marks them
crashed and submits them again (flows/deployments.py). A run that cannot be cancelled by killing a process is
the price: cancelling a running case waits for it to finish (a case is seconds to minutes).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import threading
import time
import warnings
from functools import partial
from typing import Any
from uuid import UUID

import anyio
import anyio.abc
from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.events import Event
from prefect.exceptions import InfrastructureNotAvailable
from prefect.flow_engine import run_flow
from prefect.logging.handlers import APILogHandler
from prefect.states import State
from prefect.workers.base import BaseJobConfiguration
from prefect.workers.process import ProcessJobConfiguration, ProcessWorker, ProcessWorkerResult

from intake.requests import RunSettings
from intake.settings import Settings
from ocr.engine import get_engine

# A module of this release's flows package (`flows/case_flow.py`): no absolute path, no `..`, no other package.
_RELATIVE_SCRIPT = re.compile(r"flows(/[A-Za-z_]\w*)+\.py")


class UnknownEntrypoint(Exception):
    """A deployment whose flow is not one of this release's modules: a warm worker runs only its own code."""


def flow_for(entrypoint: str) -> Flow[..., Any]:
    """The flow a deployment's entrypoint (`flows/case_flow.py:process_case`) names, from the modules this
    process has already imported, rather than executing the file again as Prefect's loader does."""
    path, _, name = entrypoint.partition(":")
    if not _RELATIVE_SCRIPT.fullmatch(path) or not name.isidentifier():
        raise UnknownEntrypoint(entrypoint)
    try:
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    except ModuleNotFoundError as exc:
        raise UnknownEntrypoint(entrypoint) from exc
    found = getattr(module, name, None)
    if not isinstance(found, Flow):
        raise UnknownEntrypoint(entrypoint)
    return found


def warm_up(settings: Settings) -> None:
    """The OCR engine the runs will use (the run settings a submitter on this host sends), loaded before the
    first run is taken, so no case pays for it."""
    get_engine(RunSettings.from_settings(settings).over(settings).ocr)


# Loggers whose INFO records are per-step chatter: each task run's "Finished in state Completed()" and the
# worker's "submitting / opening / completed submission" lines for each flow run.
CHATTY_LOGGERS = ("prefect.task_runs", "prefect.flow_runs.worker")
# The flow engine's INFO records that only repeat the run's states: its start ("Beginning flow run …", the
# Running state) and a completed end ("Finished in state Completed()", the Completed state). A failed or crashed
# end stays: its record carries the state's message.
ENGINE_REPEATS = ("Beginning flow run ", "Beginning subflow run ", "Finished in state Completed(")


class _NoChatter(logging.Filter):
    """Lets through what a supervisor reads in the UI (warnings, errors, the flows' own records: the case's
    summary, a run's failed end) and keeps on the worker's console only the per-step INFO records and the engine's
    records of a run's start and completed end, which the run's states already show in the UI (two of a case's
    three log rows before)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        if record.name.startswith(CHATTY_LOGGERS):
            return False
        return not (record.name == "prefect.flow_runs" and str(record.msg).startswith(ENGINE_REPEATS))


def quiet_api_logs() -> None:
    """Per-step INFO records not sent to the Prefect API: each is a row the server writes and the UI lists,
    about 15 a case before (bench/batch_bench.py counts them); the console keeps them. Retries and failures
    still reach the UI as warnings and as the task runs' states."""
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, APILogHandler) and not any(isinstance(f, _NoChatter) for f in handler.filters):
                handler.addFilter(_NoChatter())


def _execute(flow: Flow[..., Any], flow_run: FlowRun) -> State[Any]:
    """One flow run by Prefect's engine; its state, not its result (a failed case is a state, not an
    exception that would end the worker)."""
    return run_flow(flow, flow_run=flow_run, return_type="state")  # type: ignore[return-value]


# Cases a warm worker holds at once: one being read, one beside it (claimed, fetched, prepared, or extracted,
# judged and stored, its API calls made), so the engine never waits for those steps. Not more: the engine's
# lock lets one page be read at a time per process, and reading two pages at once takes a second worker.
CASES_IN_HAND = 2


def default_limit(cores: int, threads: int, *, warm: bool) -> int:
    """How many flow runs a worker takes at once by default. A warm worker: `CASES_IN_HAND` (its runs share one
    engine, which reads a page at a time with `threads` threads; more reading at once is more workers). A
    process worker: its cores shared out by OCR threads (each run is a process with an engine of its own)."""
    return CASES_IN_HAND if warm else max(1, cores // max(1, threads))


# Prefect keys worker classes by pool type; this one takes the "process" key in this process only, on purpose.
warnings.filterwarnings("ignore", message="Type 'WarmWorker'", category=UserWarning)


class WarmWorker(ProcessWorker):
    """Prefect's process worker (same pool type, job template and claiming) with each flow run executed in this
    process, where the imports and the models are already loaded."""

    _description = "Runs flow runs in the worker's own, already warm process."
    # A slot freed asks for the next run at once rather than at the next poll (Prefect's default: every 10 s,
    # seconds idle a case); not more often than this, should the server keep refusing a run.
    min_poll_gap = 0.5
    # A full worker polls the pool no more often than this (Prefect marks a queue unpolled for 60 s not ready).
    full_poll_gap = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quiet_api_logs()
        self._flows: dict[str, Flow[..., Any]] = {}
        self._flows_lock = threading.Lock()
        self._last_early_poll = 0.0
        self._last_real_poll = 0.0

    def _release_limit_slot(self, flow_run_id: UUID) -> None:
        super()._release_limit_slot(flow_run_id)
        now = time.monotonic()
        if self._runs_task_group is not None and now - self._last_early_poll >= self.min_poll_gap:
            self._last_early_poll = now
            self._runs_task_group.start_soon(self._poll_now)

    async def get_and_submit_flow_runs(self) -> list[FlowRun]:
        """The pool polled for runs, unless every slot is taken: a full worker's poll would find runs it cannot
        take and cost the server a query (a freed slot polls at once, `_release_limit_slot`). Still polled once
        every `full_poll_gap` seconds when full, so the server sees the pool's queue polled (its status in the
        UI) and the health check sees the worker polling."""
        full = self._limiter is not None and self._limiter.available_tokens < 1
        if full and time.monotonic() - self._last_real_poll < self.full_poll_gap:
            return []
        self._last_real_poll = time.monotonic()
        return await super().get_and_submit_flow_runs()

    async def _poll_now(self) -> None:
        try:
            await self.get_and_submit_flow_runs()
        except Exception as exc:  # the regular poll goes on; this one was only early
            self._logger.warning("early poll failed: %s", type(exc).__name__)

    async def _propose_submitting_state(self, flow_run: FlowRun) -> None:
        """No Submitting state: it marks the time a process worker spends starting a process for the run, nil
        here (the run starts in this process at once); each state is a row and an event the server writes."""

    def _emit_flow_run_submitted_event(self, configuration: BaseJobConfiguration) -> Event | None:
        """No submitted and executed events (the second is sent only after the first): the run's states say the
        same (claimed by this worker, whose name its labels carry; running; its end), and each event is a row
        the server writes and indexes, two of a case's eleven."""
        return None

    async def _flow_of(self, flow_run: FlowRun) -> Flow[..., Any]:
        if flow_run.deployment_id is None:
            raise UnknownEntrypoint("a flow run without a deployment")
        key = str(flow_run.deployment_id)
        with self._flows_lock:
            known = self._flows.get(key)
        if known is not None:
            return known
        async with get_client() as client:
            deployment = await client.read_deployment(flow_run.deployment_id)
        if deployment.entrypoint is None:
            raise UnknownEntrypoint(deployment.name)
        found = flow_for(deployment.entrypoint)
        with self._flows_lock:
            self._flows[key] = found
        return found

    async def run(
        self,
        flow_run: FlowRun,
        configuration: ProcessJobConfiguration,
        task_status: anyio.abc.TaskStatus[int] | None = None,
    ) -> ProcessWorkerResult:
        """Run `flow_run` in a thread of this process. Exit status 0 once the engine has given the run a final
        state (completed or failed); 1 if the engine itself broke off, which the worker reports as crashed so
        that the batch runs the case again."""
        flow = await self._flow_of(flow_run)
        if task_status is not None:
            task_status.started(os.getpid())
        logger = self.get_flow_run_logger(flow_run)
        try:
            state = await anyio.to_thread.run_sync(partial(_execute, flow, flow_run))
        except Exception as exc:  # the engine broke off: the kind only, never a message with case data
            logger.error("flow run %s broke off in the engine: %s", flow_run.id, type(exc).__name__)
            return ProcessWorkerResult(status_code=1, identifier=str(os.getpid()))
        logger.info("flow run %s ended %s", flow_run.id, state.type.value)
        return ProcessWorkerResult(status_code=0, identifier=str(os.getpid()))

    async def kill_infrastructure(
        self, infrastructure_pid: str, configuration: ProcessJobConfiguration, grace_seconds: int = 30
    ) -> None:
        """The run's process is this worker's, which serves other runs: it is never killed for one run."""
        raise InfrastructureNotAvailable("flow runs share the warm worker's process")
