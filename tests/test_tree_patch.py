"""A change to a large collection reaches the Topics tree as the rows that changed
(viewer/ui/tree_patch.py): the model is never reset, an edited article's row shows its new
outline, a new article's row lands where its title puts it, a removed one's row goes, and the
rows the reader had open stay open; the library's order is patched the same way
(catalogue_builder.patched_order) and equals a full sort."""

from __future__ import annotations

import os
from pathlib import Path

from tests.test_background_catalogue import TEMPLATE, write_collection
from viewer.core.catalogue_builder import CatalogueBuilder
from viewer.core.library import Library
from viewer.core.library_order import patched_order, title_order
from viewer.ui.icons import safety_icon
from viewer.ui.topic_tree import (
    KIND_ALL,
    NODE_ROLE,
    TopicTreeModel,
    TopicTreeView,
    build_tree,
)
from viewer.ui.tree_patch import plan_patch

OLD = 1_600_000_000_000_000_000


def _write_md(path: Path, title: str, body: str) -> None:
    path.write_text(
        f"---\ntitle: {title}\ntopics: [Sleep]\n---\n\n## Notes\n\n{body}\n", encoding="utf-8"
    )
    os.utime(path, ns=(OLD, OLD))


def _first_pass(folder: Path, cache: Path) -> tuple[Library, CatalogueBuilder]:
    builder = CatalogueBuilder(folder, cache, workers=0)
    library = builder.run()
    assert library is not None
    return library, builder


def _changed(folder: Path, cache: Path, before: CatalogueBuilder, library: Library, *rels):
    """The library after the watcher named `rels`, as the window's reload() reads it."""
    builder = CatalogueBuilder(
        folder,
        cache,
        workers=0,
        remembered=before.records,
        only=set(rels),
        previous=library.entries,
    )
    changed = builder.run()
    assert changed is not None
    return changed


class _Resets:
    def __init__(self, model) -> None:
        self.count = 0
        model.modelAboutToBeReset.connect(self._reset)

    def _reset(self) -> None:
        self.count += 1


def _view(qtbot, library: Library) -> TopicTreeView:
    view = TopicTreeView(TopicTreeModel(build_tree(library), safety_icon(), safety_icon()))
    qtbot.addWidget(view)
    view.show()
    return view


def _rows(view: TopicTreeView, parent) -> list:
    model = view.model()
    return [model.data(model.index(r, 0, parent), NODE_ROLE) for r in range(model.rowCount(parent))]


def _all(view: TopicTreeView):
    index = view.model().index(0, 0)
    assert view.model().data(index, NODE_ROLE).kind == KIND_ALL
    return index


def _patch(view: TopicTreeView, library: Library) -> None:
    plan = plan_patch(view._model.root(), build_tree(library))  # noqa: SLF001
    assert plan is not None
    view.patch(plan)


def test_an_edit_changes_that_row_only_and_resets_nothing(qtbot, tmp_path):
    paths = write_collection(tmp_path / "c", 8)
    library, builder = _first_pass(tmp_path / "c", tmp_path / "cache")
    view = _view(qtbot, library)
    resets = _Resets(view.model())
    everything = _all(view)
    rows_before = _rows(view, everything)
    edited = next(i for i, n in enumerate(rows_before) if n.article_id == "article-003")
    opened = view.model().index(edited, 0, everything)
    view.expand(opened)  # its sections are on screen
    assert "Side effects" in [n.label for n in _rows(view, opened)]
    view.show_article("article-003")
    changed: list[str] = []

    def seen(top_left, _bottom_right, *_roles) -> None:
        changed.append(view.model().data(top_left, NODE_ROLE).article_id)

    view.model().dataChanged.connect(seen)
    paths[3].write_text(
        TEMPLATE.format(n=3)
        .replace("- Side effects\n", "- Interactions\n")
        .replace("\nSide effects\n", "\nInteractions\n"),
        encoding="utf-8",
    )
    os.utime(paths[3], ns=(OLD + 99, OLD + 99))
    _patch(view, _changed(tmp_path / "c", tmp_path / "cache", builder, library, paths[3].name))

    assert resets.count == 0
    rows_after = _rows(view, everything)
    # The same row objects: nothing else under "All articles" was made again.
    assert all(a is b for a, b in zip(rows_before, rows_after)) and len(rows_after) == 8
    assert set(changed) == {"article-003"}  # its rows, under All articles and its topics
    assert view.isExpanded(opened)
    sections = [n.label for n in _rows(view, opened)]
    assert "Interactions" in sections and "Side effects" not in sections
    assert view.selectionModel().selectedIndexes()[0].data(NODE_ROLE).article_id == "article-003"


def test_a_new_article_lands_in_title_order_and_a_removed_one_goes(qtbot, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for n, title in enumerate(["Alpha notes", "Delta notes", "Kappa notes", "Omega notes"]):
        _write_md(folder / f"a{n}.md", title, f"Kratom and sleep, part {n}.")
    library, builder = _first_pass(folder, tmp_path / "cache")
    view = _view(qtbot, library)
    resets = _Resets(view.model())
    topic = view.model().index(1, 0)
    view.expand(topic)  # a topic the reader opened

    _write_md(folder / "new.md", "Gamma notes", "Kratom and sleep, a new part.")
    (folder / "a2.md").unlink()
    changed = _changed(folder, tmp_path / "cache", builder, library, "new.md", "a2.md")
    _patch(view, changed)

    assert resets.count == 0
    everything = _all(view)
    titles = [n.label for n in _rows(view, everything)]
    assert titles == ["Alpha notes", "Delta notes", "Gamma notes", "Omega notes"]
    assert view.model().data(everything, NODE_ROLE).label == "All articles (4)"
    topic = view.model().index(1, 0)
    assert view.isExpanded(topic)
    assert [n.label for n in _rows(view, topic)] == titles  # the topic's rows too
    assert topic.data() == "Sleep (4)"
    # Each row knows its place (the model's parent() and index() rely on it).
    model = view.model()
    for row in range(model.rowCount(everything)):
        index = model.index(row, 0, everything)
        assert model.parent(index) == everything and index.row() == row
    view.show_article(changed.entries[2].id)  # the new row is found by its id
    assert view.selectionModel().selectedIndexes()[0].data(NODE_ROLE).label == "Gamma notes"


def test_the_patched_order_is_the_sorted_order(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for n in range(30):
        _write_md(folder / f"a{n:02d}.md", f"Title {(n * 7) % 30:02d}", f"Kratom, part {n}.")
    library, builder = _first_pass(folder, tmp_path / "cache")
    _write_md(folder / "a05.md", "Title 99 renamed", "Kratom, part five, renamed.")
    _write_md(folder / "b.md", "Title 00 as well", "Kratom, another part.")
    (folder / "a11.md").unlink()
    changed = _changed(folder, tmp_path / "cache", builder, library, "a05.md", "b.md", "a11.md")
    assert changed.entries == sorted(changed.entries, key=title_order)
    assert [e.title for e in changed.entries][-1] == "Title 99 renamed"
    assert len(changed.entries) == 30
    # Given a list that is not the library's, it says so rather than mis-order.
    stranger = library.entries[1:]
    assert patched_order(stranger, [library.entries[0]], []) is None


def test_too_many_changes_are_a_new_tree_instead(tmp_path, monkeypatch):
    import viewer.ui.tree_patch as tree_patch

    folder = tmp_path / "c"
    write_collection(folder, 6)
    library = Library.load(folder)
    monkeypatch.setattr(tree_patch, "MAX_MOVED_ROWS", 2)
    write_collection(tmp_path / "d", 12)
    assert plan_patch(build_tree(library), build_tree(Library.load(tmp_path / "d"))) is None


def test_in_the_window_changes_elsewhere_patch_the_tree_and_leave_the_page_alone(
    qtbot, tmp_path, monkeypatch
):
    import threading

    import viewer.core.library as library_module
    from tests.ui_support import close_window, open_window

    write_collection(tmp_path / "c", 12)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    qtbot.waitUntil(
        lambda: len(window.library) == 12 and not window.startup.is_busy(), timeout=60000
    )
    close_window(qtbot, window)
    window = open_window(qtbot, tmp_path / "c", tmp_path / "s.ini", background_from=5)
    assert window.startup.mode == "check"  # the catalogue trusted, checked after the paint
    model = window.ui.tree_model

    def rows() -> int:
        return model.rowCount(model.index(0, 0))

    qtbot.waitUntil(
        lambda: (
            window.startup.records is not None and not window.startup.is_busy() and rows() == 12
        ),
        timeout=60000,
    )
    resets = _Resets(model)
    with open(tmp_path / "c" / window.ui.reader.article.path, "a", encoding="utf-8") as handle:
        handle.write("\nThe zqxedited word closes it.\n")
    qtbot.waitUntil(lambda: "zqxedited" in window.ui.reader.toPlainText(), timeout=15000)
    page = window.ui.reader.article
    parsed_here: list[str] = []
    real = library_module._parse

    def parse(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            parsed_here.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(library_module, "_parse", parse)
    write_collection(tmp_path / "more", 1)
    (tmp_path / "more" / "article-000.txt").rename(tmp_path / "c" / "zz-new.txt")
    qtbot.waitUntil(lambda: "zz-new" in window.library and rows() == 13, timeout=15000)
    qtbot.waitUntil(lambda: not window.startup.is_busy(), timeout=15000)
    assert resets.count == 0  # both changes came in as rows, not as a new tree
    assert window.ui.reader.article is page  # the open article was not read or drawn again
    assert parsed_here == []
    assert "zz-new" in [n.article_id for n in _rows(window.ui.tree, model.index(0, 0))]
    close_window(qtbot, window)
