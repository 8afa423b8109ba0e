"""The index side of the main screen: opening or building the index, and
keeping it in step with the corpus folder while the screen is up.

:class:`LiveIndex` is a mixin of :class:`~reader.ui.screens.main.MainScreen`
(the screen stays the one mediator; this keeps its index code in one place).
Three thread workers:

- ``prepare_index``: at launch, open the index and show results, then bring
  the index up to date — or build it, with a progress bar;
- ``_update_index``: the same incremental update after the folder changed;
- ``_watch_corpus``: the folder watcher (:func:`reader.core.watch.watch_folder`);
  it never finishes, and stops when the screen goes.

Workers report with messages, which arrive in the order they were sent:
:class:`EngineReady`, :class:`IndexUpdateStarted`, :class:`IndexProgress`,
:class:`IndexUpdated`, :class:`CorpusChanged`, :class:`WatchReady`. One update
runs at a time; changes seen meanwhile ask for one more after it. An index
locked by another process is tried again every ``RETRY_SECONDS``.

The screen provides the ``busy``, ``skipped_count`` reactives, a
:class:`BuildProgress` widget, ``_first_results`` (set once the first results
are on screen) and ``_refresh_views(report)`` (search again, keeping the
user's place). Handlers use Textual's naming convention (``on_…``): ``@on``
is only collected from the screen class itself, not from a mixin.
"""

from __future__ import annotations

import threading

from textual import work
from textual.timer import Timer
from textual.worker import get_current_worker

from ...core.index import IndexError_
from ...core.models import IndexReport, Skipped
from ...core.watch import watch_folder
from ..backend import Backend, UpdateOutcome
from ..messages import CorpusChanged, EngineReady, IndexProgress, IndexUpdated, IndexUpdateStarted, WatchReady
from ..notices import change_summary, describe, newly_skipped, skipped_summary
from ..progress import Cancelled, ProgressMeter
from ..widgets.build_progress import BuildProgress

BAR_MIN = 100  # an update of fewer articles shows its progress in the status line only
RETRY_SECONDS = 5.0  # index locked by another process: try again after this
FIRST_RESULTS_WAIT = 3.0  # at launch, the folder is scanned once results show (or after this)


class LiveIndex:
    backend: Backend

    def _init_live_index(self, watch: bool) -> None:
        self.skipped: list[Skipped] = []  # files the last index update left out, and why
        self.watch_mode = ""  # "notify" or "polling" once the folder is watched
        self._watch_enabled = watch
        self._watching = False
        self._first_results = threading.Event()
        self._updating = True  # one update at a time; the launch check is the first
        self._update_wanted = False
        self._building = False
        self._retry: Timer | None = None
        self._lock_notified = False

    # -- workers -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def prepare_index(self) -> None:
        """Open the index and show results, then bring it up to date (or build it)."""
        backend = self.backend
        built = not backend.has_index()
        try:
            if not built:
                try:
                    backend.open()
                except IndexError_:  # there, but unreadable (a damaged TOC): the update rebuilds it
                    built = True
                else:
                    self.post_message(EngineReady())
                    self._first_results.wait(FIRST_RESULTS_WAIT)  # first results before the folder scan
            outcome = self._run_update("building the index…" if built else "checking for changes…", building=built)
        except Cancelled:
            return  # the app is closing
        except Exception as exc:  # a corrupt or unwritable index must show, not hang the screen
            outcome = UpdateOutcome(notice=f"cannot open the index: {describe(exc)}")
        self.post_message(IndexUpdated(outcome, startup=True, built=built))
        self._warm()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _update_index(self) -> None:
        """The same incremental update, after a change in the corpus folder."""
        if not self.backend.corpus.is_dir():
            # Gone (the watcher has said so): keep the index as it is.
            self.post_message(IndexUpdated(UpdateOutcome()))
            return
        try:
            outcome = self._run_update("updating the index…")
        except Cancelled:
            return
        except Exception as exc:
            outcome = UpdateOutcome(notice=f"cannot update the index: {describe(exc)}")
        self.post_message(IndexUpdated(outcome))
        if outcome.report is not None and outcome.report.changed:
            self._warm()  # a new engine: load what the first fuzzy query needs

    def _run_update(self, label: str, building: bool = False) -> UpdateOutcome:
        """One index update, in a worker thread, with progress reports. Once it
        is done the engine reads the new index. (Results of the old one stay
        usable: each holds the engine that made it, kept open meanwhile.)"""
        worker = get_current_worker()
        backend = self.backend
        self.post_message(IndexUpdateStarted(label, building))
        meter = ProgressMeter(lambda state: self.post_message(IndexProgress(state)), cancelled=lambda: worker.is_cancelled)
        outcome = backend.update(progress=meter)
        if outcome.report is not None:
            if backend.engine is None:
                backend.open()
                self.post_message(EngineReady())
            elif outcome.report.changed:
                backend.refresh()
        return outcome

    def _warm(self) -> None:
        engine = self.backend.engine
        if engine is not None:
            try:
                engine.warm()
            except Exception:  # only a head start for the first fuzzy query
                pass

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch_corpus(self) -> None:
        """Report changes under the corpus folder until the screen goes away
        (cancelling this worker sets the event the watcher stops on)."""
        worker = get_current_worker()
        try:
            for batch in watch_folder(
                self.backend.corpus,
                worker.cancelled_event,
                ignore=(self.backend.index_dir,),
                on_ready=lambda mode: self.post_message(WatchReady(mode)),
            ):
                if worker.is_cancelled:
                    return
                self.post_message(CorpusChanged(batch.paths, batch.notice))
        except Exception as exc:  # the watcher must never take the app down
            if not worker.is_cancelled:
                self.post_message(CorpusChanged((), f"stopped watching the corpus folder: {describe(exc)}"))

    # -- handlers ------------------------------------------------------------
    def on_index_update_started(self, event: IndexUpdateStarted) -> None:
        self.busy = event.label
        self._building = event.building
        if event.building:
            self._start_watching()  # files added during a long build are picked up after it
            self.query_one(BuildProgress).start("Building")

    def on_index_progress(self, event: IndexProgress) -> None:
        state = event.state
        self.busy = f"indexing {state.describe()}" + (" · writing the index…" if state.finished else "")
        if self._building or state.total >= BAR_MIN:
            self.query_one(BuildProgress).show_state("Building" if self._building else "Updating", state)

    def on_index_updated(self, event: IndexUpdated) -> None:
        outcome, report = event.outcome, event.outcome.report
        self._updating = self._building = False
        self.query_one(BuildProgress).hide()
        self.busy = ""
        if outcome.locked:
            if not self._lock_notified:
                self._lock_notified = True
                self.notify(f"{outcome.notice} (trying again every {RETRY_SECONDS:g} s)", severity="warning", timeout=8, markup=False)
            if self._retry is None:
                self._retry = self.set_timer(RETRY_SECONDS, self._retry_update)
        elif outcome.notice:
            self.notify(outcome.notice, severity="warning", timeout=8, markup=False)
        if report is not None:
            self._lock_notified = False
            self._announce(report, event.startup, event.built)
            if report.changed and not event.built:
                self._refresh_views(report)
        if event.startup:
            self._start_watching()  # (normally on already, since the first results)
        if self._update_wanted and self._retry is None:
            self._update_wanted = False
            self._request_update()

    def on_watch_ready(self, event: WatchReady) -> None:
        self.watch_mode = event.mode

    def on_corpus_changed(self, event: CorpusChanged) -> None:
        if event.notice:
            self.notify(event.notice, severity="warning", timeout=8, markup=False)
        if event.paths:
            self._request_update()

    # -- helpers -------------------------------------------------------------
    def _start_watching(self) -> None:
        if self._watch_enabled and not self._watching:
            self._watching = True
            self._watch_corpus()

    def _request_update(self) -> None:
        if self._updating or self._retry is not None:
            self._update_wanted = True  # run when the current update (or the wait for a retry) is over
            return
        self._updating = True
        self._update_index()

    def _retry_update(self) -> None:
        self._retry = None
        self._update_wanted = False
        self._request_update()

    def _announce(self, report: IndexReport, startup: bool, built: bool) -> None:
        """Tell the user what changed, and about files newly skipped."""
        known = {s.path for s in self.skipped}
        self.skipped = sorted(report.skipped, key=lambda s: s.path)
        self.skipped_count = len(self.skipped)
        fresh = [s for s in self.skipped if s.path not in known]
        if report.changed and not built:
            lines = [change_summary(report, "Index updated" if startup else "Corpus changed")]
            if fresh:
                lines.append(skipped_summary(len(self.skipped)))
            self.notify("\n".join(lines), timeout=6, markup=False)
        elif fresh and startup:
            self.notify(skipped_summary(len(self.skipped)), severity="warning", timeout=10, markup=False)
        elif fresh:
            self.notify(newly_skipped(fresh), severity="warning", timeout=8, markup=False)
