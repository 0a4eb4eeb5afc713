"""The collector's pause around a batch: overlapping pauses resume it once, after the last."""

import gc

from atiende import heap


def test_overlapping_pauses_resume_collection_after_the_last() -> None:
    assert gc.isenabled()
    first, second = heap.paused(), heap.paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)  # the first ends while the second runs on
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failing_batch_resumes_collection() -> None:
    try:
        with heap.paused():
            raise RuntimeError("a batch that failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
