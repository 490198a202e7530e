"""The window's long-lived background threads (viewer/ui/job_threads.py): jobs run in order in
threads started once, `join()` waits for one job, a failing job is reported and the thread goes
on, and `stop()` ends the threads."""

from __future__ import annotations

import threading

from viewer.ui.job_threads import JobThreads


def test_jobs_run_in_the_same_threads_and_join_waits_for_each(monkeypatch):
    reported = []
    monkeypatch.setattr(threading, "excepthook", lambda args: reported.append(args.exc_type))
    jobs = JobThreads("test-jobs")
    ran: list[tuple[int, str]] = []
    gate = threading.Event()
    first = jobs.submit(lambda: (gate.wait(5), ran.append((1, threading.current_thread().name))))
    assert first.is_alive()  # handed over without waiting for it
    gate.set()
    first.join(5)
    assert not first.is_alive()
    jobs.submit(lambda: 1 / 0).join(5)  # reported, and the thread goes on
    last = jobs.submit(lambda: ran.append((3, threading.current_thread().name)))
    last.join(5)
    assert [n for n, _ in ran] == [1, 3]
    assert {name for _, name in ran} == {"test-jobs-0"}  # one thread, started once
    assert reported == [ZeroDivisionError]
    threads = [t for t in threading.enumerate() if t.name == "test-jobs-0"]
    jobs.stop()
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive()
