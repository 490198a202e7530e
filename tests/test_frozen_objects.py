"""What the window freezes for the collector stays frozen, and what it lets go is freed at once.

The window freezes the loaded library (gc.freeze) so that collections need not walk it; a
worker thread that thawed everything (gc.unfreeze) made the next full collection walk the
whole library holding the interpreter, and at 50,000 articles the window froze for seconds
after each edit. The topic tree, rebuilt after each change, holds no reference cycle, so an
old tree is freed when the view drops it, frozen or not.
"""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from tests.test_background_catalogue import write_collection
from viewer.core.gc_pause import paused_gc
from viewer.core.library import Library
from viewer.ui.icons import safety_icon
from viewer.ui.topic_tree import TopicTreeModel, TopicTreeView, TreeNode, build_tree


@pytest.fixture
def frozen():
    """Everything alive now frozen, as the window does after loading; thawed afterwards."""
    gc.collect()
    gc.freeze()
    yield gc.get_freeze_count()
    gc.unfreeze()


def test_a_worker_pausing_the_collector_thaws_nothing(frozen, tmp_path):
    write_collection(tmp_path / "c", 6)
    library = Library.load(tmp_path / "c")
    built: list = []

    def build() -> None:
        with paused_gc():
            built.append(build_tree(library))

    worker = threading.Thread(target=build)
    worker.start()
    worker.join()
    assert built and gc.get_freeze_count() > frozen  # the old stays frozen, the tree joins it
    assert gc.isenabled()


def test_a_tree_let_go_of_leaves_nothing_for_the_collector(qtbot, tmp_path):
    write_collection(tmp_path / "c", 8)
    library = Library.load(tmp_path / "c")
    model = TopicTreeModel(build_tree(library), safety_icon(), safety_icon())
    view = TopicTreeView(model)
    qtbot.addWidget(view)
    view.show()
    view.expandAll()  # every lazy row built, sections included
    qtbot.wait(10)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()  # nothing collected behind the test's back
    try:
        old = model.root()
        assert sum(1 for _ in old.walk(built_only=True)) > 20
        del old
        view.reload(build_tree(library))  # a change came in: the tree is replaced
        gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds is kept in gc.garbage
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, TreeNode)]
        assert left == []  # the old tree was freed by reference counting
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert model.root().children[0].children[0].parent is model.root().children[0]


def test_an_old_tree_is_freed_a_few_rows_at_a_time(tmp_path, monkeypatch):
    import viewer.ui.topic_tree as topic_tree

    monkeypatch.setattr(topic_tree, "RELEASE_CHUNK", 2)  # several steps for a small tree
    write_collection(tmp_path / "c", 7)
    tree = build_tree(Library.load(tmp_path / "c"))
    rows = list(tree.walk())  # every lazy row built
    assert len(rows) > 30
    refs = [weakref.ref(row) for row in rows]
    del rows
    tree.take_apart()
    assert [r for r in refs[1:] if r() is not None] == []  # every row below the root is freed
    assert not tree.has_children()
