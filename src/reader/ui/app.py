"""The Textual application and its factory."""

from __future__ import annotations

import os
import sys
import termios
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .backend import Backend
from .screens.main import MainScreen


TERMINAL_CHECK = 1.0  # seconds between checks that the terminal is still there


def terminal_present() -> bool:
    """Whether standard input is still a working terminal (a hung-up one
    answers every terminal request with EIO)."""
    stream = sys.__stdin__
    try:
        if stream is None or not os.isatty(stream.fileno()):
            return False
        termios.tcgetattr(stream.fileno())
    except (OSError, ValueError, termios.error):
        return False
    return True


class ReaderApp(App[int]):
    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, backend: Backend, watch: bool = True) -> None:
        super().__init__()
        self.backend = backend
        self.live_corpus = watch
        self.sub_title = str(backend.corpus)

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.backend, watch=self.live_corpus))
        if not self.is_headless and terminal_present():
            self.set_interval(TERMINAL_CHECK, self._check_terminal)

    def _check_terminal(self) -> None:
        # A closed terminal window does not always send SIGHUP (not when the
        # app runs under `make run`), and Textual's input thread then spins
        # on end-of-file at 100% CPU forever. Quit once the terminal is gone.
        if not terminal_present():
            self.exit(return_code=1)

    def on_unmount(self) -> None:
        self.backend.close()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield SystemCommand("Search", "Focus the search box (/)", screen.action_focus_search)
            yield SystemCommand("Toggle sort", "Relevance or newest first (s)", screen.action_toggle_sort)
            yield SystemCommand("Open article", "Open the selected result (Enter)", screen.action_open_current)
            yield SystemCommand("Back / clear", "Leave the article, clear query or filters (Esc)", screen.action_back)
            yield SystemCommand("Skipped files", "Corpus files left out of the index, and why (S)", screen.action_skipped)
            yield SystemCommand("Help", "Every key and the query syntax (?)", screen.action_help)
            yield from screen.palette_commands() if hasattr(screen, "palette_commands") else ()


def create_app(corpus: Path, index_dir: Path, watch: bool = True) -> ReaderApp:
    """The app on ``corpus``, with its index in ``index_dir`` (built if missing).
    With ``watch``, changes in the corpus folder are picked up while it runs."""
    return ReaderApp(Backend(corpus, index_dir), watch=watch)
