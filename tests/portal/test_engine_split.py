"""`make test` runs each test that opens the database on one engine (tests/conftest.py, TEST_ENGINES=split): the
tests marked for an engine on that one, every other test file on the engine its path's digest picks, the same
every run, one file in three on PostgreSQL."""

from pathlib import Path

from tests.conftest import database_engine_of

ROOT = Path(__file__).resolve().parents[2]


class Item:
    def __init__(self, nodeid, markers=()):
        self.nodeid, self.markers = nodeid, set(markers)

    def get_closest_marker(self, name):
        return name if name in self.markers else None


def test_marked_tests_run_on_their_engine():
    assert database_engine_of(Item("tests/a/test_x.py::t", {"services"})) == "postgresql"
    assert database_engine_of(Item("tests/a/test_x.py::t", {"postgres"})) == "postgresql"
    assert database_engine_of(Item("tests/a/test_x.py::t", {"sqlite"})) == "sqlite"


def test_the_other_files_split_one_in_three_to_postgresql_each_file_whole():
    files = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("test_*.py"))
    engines = [database_engine_of(Item(f"{name}::test_one")) for name in files]
    assert 0.23 < engines.count("postgresql") / len(engines) < 0.43
    for name, engine in zip(files, engines, strict=True):
        assert database_engine_of(Item(f"{name}::test_two[param]")) == engine
