"""The Topics tree (viewer/ui/topic_tree.py): a large "All articles" stays collapsed, and
showing an article in it marks its row without laying out every row; a small one opens and
the article's row becomes current."""

from __future__ import annotations

import viewer.ui.topic_tree as topic_tree
from tests.test_background_catalogue import write_collection
from viewer.core.library import Library
from viewer.ui.icons import safety_icon
from viewer.ui.topic_tree import KIND_ALL, TopicTreeModel, TopicTreeView, build_tree


def _view(qtbot, library: Library) -> TopicTreeView:
    model = TopicTreeModel(build_tree(library), safety_icon(), safety_icon())
    view = TopicTreeView(model)
    qtbot.addWidget(view)
    view.show()
    return view


def _id(index) -> str:
    return index.data(topic_tree.NODE_ROLE).article_id


def _all_articles(view: TopicTreeView):
    index = view.model().index(0, 0)
    assert view.model().data(index, topic_tree.NODE_ROLE).kind == KIND_ALL
    return index


def test_a_large_collection_marks_the_article_without_opening_all_articles(
    qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr(topic_tree, "EXPAND_ALL_LIMIT", 5)
    write_collection(tmp_path / "c", 12)
    view = _view(qtbot, Library.load(tmp_path / "c"))
    everything = _all_articles(view)
    assert not view.isExpanded(everything)
    view.show_article("article-007")
    assert not view.isExpanded(everything)
    assert [_id(i) for i in view.selectionModel().selectedIndexes()] == ["article-007"]
    # Opened by the reader later, the row is there, selected.
    view.expand(everything)
    view.show_article("article-003")
    assert _id(view.currentIndex()) == "article-003"


def test_a_small_collection_opens_all_articles_and_makes_the_row_current(qtbot, tmp_path):
    write_collection(tmp_path / "c", 4)
    view = _view(qtbot, Library.load(tmp_path / "c"))
    assert view.isExpanded(_all_articles(view))
    view.show_article("article-002")
    assert _id(view.currentIndex()) == "article-002"
    view.show_article("no-such-article")  # nothing happens
    assert _id(view.currentIndex()) == "article-002"


def test_a_reloaded_tree_opens_again_the_rows_the_reader_had_open(qtbot, tmp_path):
    write_collection(tmp_path / "c", 6)
    library = Library.load(tmp_path / "c")
    view = _view(qtbot, library)
    model = view.model()
    everything = _all_articles(view)
    article = model.index(2, 0, everything)
    view.expand(article)  # its sections
    topic = model.index(1, 0)
    view.expand(topic)
    view.collapse(topic)  # opened, then closed again: stays closed
    opened = model.data(article, topic_tree.NODE_ROLE).label

    view.reload(build_tree(Library.load(tmp_path / "c")))  # a change came in
    everything = _all_articles(view)
    assert view.isExpanded(everything)
    rows = [model.index(r, 0, everything) for r in range(model.rowCount(everything))]
    again = [i for i in rows if model.data(i, topic_tree.NODE_ROLE).label == opened]
    assert again and view.isExpanded(again[0]) and model.rowCount(again[0]) > 0
    assert not view.isExpanded(model.index(1, 0))

    view.collapse(again[0])
    view.reload(build_tree(library))
    assert not any(
        view.isExpanded(model.index(r, 0, _all_articles(view)))
        for r in range(model.rowCount(_all_articles(view)))
    )
