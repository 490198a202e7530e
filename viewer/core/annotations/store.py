"""Annotations on disk: one SQLite file in the user's data folder, shared by every corpus.

Rows are keyed by the corpus folder's resolved path and the article id, so two collections
never mix. WAL mode (a reader never waits for the writer), a schema version in
`PRAGMA user_version` with forward-only migrations, and every write in one transaction.

A database that cannot be used never stops the app: `AnnotationStore.open` always returns a
store, with `problem` set to one line saying why and `available`/`read_only` saying what still
works. A corrupt file is never deleted or overwritten; `set_aside_and_start_fresh` (called only
once the user agreed) renames it next to the new one.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from viewer.core.annotations.model import Annotation, Quote, ReadingState
from viewer.core.errors import ViewerError

DB_NAME = "annotations.sqlite3"
# Each entry moves the schema from version N to N+1; never edit one that has shipped.
MIGRATIONS = (
    """
    CREATE TABLE corpora (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
    CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        corpus INTEGER NOT NULL REFERENCES corpora(id),
        article TEXT NOT NULL,
        motivation TEXT NOT NULL,
        colour TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        exact TEXT NOT NULL DEFAULT '',
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL DEFAULT -1,
        "end" INTEGER NOT NULL DEFAULT -1,
        section TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL,
        modified REAL NOT NULL
    );
    CREATE INDEX annotations_by_article ON annotations (corpus, article, start);
    """,
    """
    CREATE TABLE reading (
        corpus INTEGER NOT NULL REFERENCES corpora(id),
        article TEXT NOT NULL,
        fraction REAL NOT NULL DEFAULT 0,
        read INTEGER NOT NULL DEFAULT 0,
        opened REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (corpus, article)
    );
    """,
    # The panel lists newest first and stops at its row limit: walking this index it stops
    # after that many matches instead of sorting every match.
    """
    CREATE INDEX annotations_by_time ON annotations (corpus, modified);
    CREATE INDEX annotations_by_article_time ON annotations (corpus, article, modified);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_COLUMNS = (
    'id, article, motivation, colour, note, exact, prefix, suffix, start, "end", section, '
    "created, modified"
)


class AnnotationStoreError(ViewerError):
    """A write that could not be made (read-only or unavailable store), in one line."""


def _row_to_annotation(row: tuple) -> Annotation:
    (
        ident,
        article,
        motivation,
        colour,
        note,
        exact,
        prefix,
        suffix,
        start,
        end,
        section,
        created,
        modified,
    ) = row
    return Annotation(
        article_id=article,
        quote=Quote(exact, prefix, suffix, start, end),
        colour=colour,
        note=note,
        motivation=motivation,
        section=section,
        id=ident,
        created=created,
        modified=modified,
    )


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class AnnotationStore:
    """The annotations of one corpus. Never raises on open; check `problem`."""

    def __init__(self, path: Path, corpus: Path, timeout: float = 2.0) -> None:
        self.path = path
        self._timeout = timeout  # seconds to wait for another program's write lock
        self.corpus_key = str(corpus.resolve())
        self.problem = ""  # one line for the user when the database is not fully usable
        self.read_only = False
        self.corrupt = False
        self._conn: sqlite3.Connection | None = None
        self._corpus_id: int | None = None

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, corpus: Path, timeout: float = 2.0) -> AnnotationStore:
        store = cls(Path(data_dir) / DB_NAME, corpus, timeout)
        store._connect()
        return store

    @property
    def available(self) -> bool:
        return self._conn is not None

    def _connect(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=self._timeout)
            self._conn.execute("PRAGMA foreign_keys = ON")
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self._fall_back_read_only(
                    f"annotations in {self.path} were written by a newer version "
                    "of the app; they are shown read-only"
                )
                return
            if (
                version < SCHEMA_VERSION
                or self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
            ):
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._migrate(version)
            self._corpus_id = self._corpus_row(create=True)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._fall_back_read_only(
                    f"annotations in {self.path} are locked by another program; "
                    "they are shown read-only"
                )
            else:
                self._give_up(f"cannot open annotations in {self.path}: {exc}")
        except sqlite3.DatabaseError as exc:
            self.corrupt = True
            self._give_up(
                f"annotations file {self.path} is damaged ({exc}); annotations are off "
                "until it is set aside"
            )
        except OSError as exc:
            self._give_up(f"cannot open annotations in {self.path}: {exc.strerror or exc}")

    def _open_connection(self) -> sqlite3.Connection:
        """The connection, for the steps of opening that run only once it exists."""
        if self._conn is None:
            raise AnnotationStoreError(f"annotations in {self.path} are not open")
        return self._conn

    def _migrate(self, version: int) -> None:
        conn = self._open_connection()
        for step in range(version, SCHEMA_VERSION):
            # executescript commits first; the BEGIN makes each step all-or-nothing.
            conn.executescript(
                f"BEGIN; {MIGRATIONS[step]} PRAGMA user_version = {step + 1}; COMMIT;"
            )

    def _fall_back_read_only(self, message: str) -> None:
        self.close()
        self.problem, self.read_only = message, True
        try:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=self._timeout)
            self._corpus_id = self._corpus_row(create=False)
        except sqlite3.DatabaseError:
            self._give_up(message.replace("shown read-only", "not available this time"))

    def _give_up(self, message: str) -> None:
        self.close()
        self.problem = message

    def _corpus_row(self, create: bool) -> int | None:
        conn = self._open_connection()
        row = conn.execute("SELECT id FROM corpora WHERE path = ?", (self.corpus_key,)).fetchone()
        if row is None and create:
            with conn:
                cursor = conn.execute("INSERT INTO corpora (path) VALUES (?)", (self.corpus_key,))
            return cursor.lastrowid
        return row[0] if row else None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def set_aside_and_start_fresh(self) -> Path:
        """Rename the unusable file (with its -wal/-shm) aside and open a new, empty database.

        Only call this once the user agreed. Returns where the old file went."""
        self.close()
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            old = Path(str(self.path) + suffix)
            if old.exists():
                old.rename(Path(str(aside) + suffix))
        self.problem, self.read_only, self.corrupt = "", False, False
        self._connect()
        return aside

    # -- reading ------------------------------------------------------------------------------

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._conn is None or self._corpus_id is None:
            return []
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            self.problem = f"cannot read annotations from {self.path}: {exc}"
            return []

    def annotations(self, article_id: str | None = None) -> list[Annotation]:
        """Highlights, notes and bookmarks of one article (or all), in reading order."""
        if article_id is None:
            rows = self._query(
                f"SELECT {_COLUMNS} FROM annotations WHERE corpus = ? ORDER BY article, start",
                (self._corpus_id,),
            )
        else:
            rows = self._query(
                f"SELECT {_COLUMNS} FROM annotations WHERE corpus = ? AND article = ? "
                "ORDER BY start",
                (self._corpus_id, article_id),
            )
        return [_row_to_annotation(row) for row in rows]

    def search(
        self,
        article_id: str = "",
        colour: str = "",
        text: str = "",
        motivation: str = "",
        limit: int = 1001,
    ) -> list[Annotation]:
        """The panel's filter: by article, colour, motivation and words in the quote or note
        (each word anywhere, case-insensitive for ASCII letters), newest first, at most `limit`."""
        sql = f"SELECT {_COLUMNS} FROM annotations WHERE corpus = ?"
        params: list = [self._corpus_id]
        for column, value in (
            ("article", article_id),
            ("colour", colour),
            ("motivation", motivation),
        ):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        for word in text.split():
            sql += " AND (note LIKE ? ESCAPE '\\' OR exact LIKE ? ESCAPE '\\')"
            params += [_like(word), _like(word)]
        sql += " ORDER BY modified DESC LIMIT ?"
        params.append(limit)
        return [_row_to_annotation(row) for row in self._query(sql, tuple(params))]

    def get(self, annotation_id: str) -> Annotation | None:
        rows = self._query(
            f"SELECT {_COLUMNS} FROM annotations WHERE corpus = ? AND id = ?",
            (self._corpus_id, annotation_id),
        )
        return _row_to_annotation(rows[0]) if rows else None

    def reading_state(self, article_id: str) -> ReadingState:
        rows = self._query(
            "SELECT fraction, read, opened FROM reading WHERE corpus = ? AND article = ?",
            (self._corpus_id, article_id),
        )
        if not rows:
            return ReadingState(article_id)
        fraction, read, opened = rows[0]
        return ReadingState(article_id, fraction, bool(read), opened)

    def reading_states(self) -> dict[str, ReadingState]:
        rows = self._query(
            "SELECT article, fraction, read, opened FROM reading WHERE corpus = ?",
            (self._corpus_id,),
        )
        return {a: ReadingState(a, f, bool(r), o) for a, f, r, o in rows}

    # -- writing ------------------------------------------------------------------------------

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        if self._conn is None or self._corpus_id is None:
            raise AnnotationStoreError(self.problem or "annotations are not available")
        if self.read_only:
            raise AnnotationStoreError(self.problem)
        try:
            with self._conn:  # one transaction: all statements or none
                for sql, params in statements:
                    self._conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc) or "readonly" in str(exc):
                self.read_only = True
                self.problem = (
                    f"annotations in {self.path} are locked by another program; not saved"
                )
                raise AnnotationStoreError(self.problem) from None
            raise AnnotationStoreError(f"cannot save annotations in {self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise AnnotationStoreError(f"cannot save annotations in {self.path}: {exc}") from None

    def save(self, annotation: Annotation) -> None:
        """Insert or replace one annotation."""
        self.save_many([annotation])

    def save_many(self, annotations: list[Annotation]) -> None:
        sql = (
            f"INSERT OR REPLACE INTO annotations (corpus, {_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        self._write(
            [
                (
                    sql,
                    (
                        self._corpus_id,
                        a.id,
                        a.article_id,
                        a.motivation,
                        a.colour,
                        a.note,
                        a.quote.exact,
                        a.quote.prefix,
                        a.quote.suffix,
                        a.quote.start,
                        a.quote.end,
                        a.section,
                        a.created,
                        a.modified,
                    ),
                )
                for a in annotations
            ]
        )

    def delete(self, annotation_id: str) -> None:
        self._write(
            [
                (
                    "DELETE FROM annotations WHERE corpus = ? AND id = ?",
                    (self._corpus_id, annotation_id),
                )
            ]
        )

    def set_reading_state(self, state: ReadingState) -> None:
        self._write(
            [
                (
                    "INSERT OR REPLACE INTO reading (corpus, article, fraction, read, opened) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        self._corpus_id,
                        state.article_id,
                        state.fraction,
                        int(state.read),
                        state.opened,
                    ),
                )
            ]
        )


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def schema_version(path: Path) -> int:
    """The schema version of a database file (for tests and diagnostics)."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]
