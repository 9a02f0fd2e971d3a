"""The reader's panic report is kept off standard error only on the main thread.

File descriptor 2 belongs to the whole process; the window reads files on worker
threads that may overlap, and redirecting it there left it pointing at a deleted
file for the rest of the session (found by review).
"""

from __future__ import annotations

import os
import threading

from workbench.exchange import spreadsheet_reader


def _stderr_target() -> str:
    return os.readlink("/proc/self/fd/2") if os.path.exists("/proc/self/fd/2") else ""


def test_worker_threads_leave_standard_error_alone_even_when_they_overlap():
    before = _stderr_target()
    inside: list[str] = []
    first_in, second_done = threading.Event(), threading.Event()

    def first() -> None:
        with spreadsheet_reader._quiet_panic():
            inside.append(_stderr_target())
            first_in.set()
            second_done.wait(5)

    def second() -> None:
        first_in.wait(5)
        with spreadsheet_reader._quiet_panic():
            inside.append(_stderr_target())
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert inside == [before, before]
    assert _stderr_target() == before


def test_the_main_thread_gets_standard_error_back_with_what_was_written():
    before = _stderr_target()
    with spreadsheet_reader._quiet_panic():
        assert _stderr_target() != before or not before  # redirected while reading
    assert _stderr_target() == before
