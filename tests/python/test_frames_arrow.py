"""The two storages of pandas' "string" dtype in Agency.ledger_frame() and
Agency.jobs_frame(): with pyarrow storage (pandas' default once pyarrow is installed) the
text columns are Arrow arrays built from buffers made in C++, with python storage they are
arrays of str objects. Both are tested in every run: the frames must equal the reference
implementations of test_frames_fast in either storage, hold the same values in both, and
have exactly the dtypes dtype="string" means under the options in force."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import aecore
from aecore import EntryKind
from aecore._sugar import _arrow_strings, _text_array
from test_frames_fast import (BOOKS, assert_same_frame, filters, logged, reference_jobs_frame,
                              reference_ledger_frame, synthetic_with_corrections)
from test_ledger import AE1_ID, JOB_A, JOB_C, approve, build_money_book, commit, cost, invoice, pay

D = dt.date
STORAGES = ["pyarrow", "python"]
LEDGER_TEXT = ["client", "job", "currency", "reference", "recorded_by", "invoice", "reverses", "time_entry"]
JOBS_TEXT = ["parent", "client", "brand", "title", "issuer", "currency"]


@contextlib.contextmanager
def storage(name: str) -> Iterator[None]:
    """pandas' "string" dtype with `name` storage for the block."""
    with pd.option_context("mode.string_storage", name):
        assert pd.StringDtype().storage == name  # the option really switches it in this pandas
        yield


@pytest.fixture(params=STORAGES)
def store(request: pytest.FixtureRequest) -> Iterator[str]:
    with storage(request.param):
        yield request.param


def unicode_book() -> aecore.Agency:
    """The money book with Chinese and emoji text in the frames: a brand and job titles,
    commitment, cost and payment references, a reversal's reason, and a sub-ticket (parent)."""
    a = build_money_book()
    a.add_brand("BJ-202605-PANDA-002", "熊猫 🐼")
    a.open_job("BJ-202605-PANDA-002", "熊猫 🐼", department=aecore.Department.PRODUCTION,
               job_type=aecore.JobType.OTHER, title="熊猫海报 — 第二版 🎨", client_deadline=dt.datetime(2026, 12, 18, 17),
               issuer=AE1_ID, opened_at=dt.datetime(2026, 6, 1, 10))
    for job in (JOB_A, JOB_C):
        approve(a, job, "100000")
    commit(a, JOB_A, "1200.50", reference="采购单-🐼-001")
    cost(a, JOB_C, "980", reference="供应商发票 №7 ✓")
    invoice(a, "INV-2026-001", "5000")
    invoice(a, "INV-2026-002", "700", job=None, client="BJ-202605-PANDA-002")
    pay(a, "INV-2026-001", "2000", D(2026, 7, 10), reference="银行回单 😀")
    paid = pay(a, "INV-2026-002", "700", D(2026, 7, 12), reference="")
    a.reverse_entry(paid.id, date=D(2026, 7, 13), reason="退回 ↩ 重复付款", recorded_by=AE1_ID)
    return a


def ledger_books() -> dict[str, Any]:
    return {"unicode": unicode_book, "demo+time": lambda: logged(aecore.samples.build("demo")),
            "synthetic+reversals": synthetic_with_corrections, "empty": aecore.Agency}


@pytest.fixture(scope="module", params=list(ledger_books()))
def lbook(request: pytest.FixtureRequest) -> aecore.Agency:
    return ledger_books()[request.param]()


def texts(series: pd.Series) -> list[str | None]:
    """The values of a text column, None for NA (pd.NA in either storage)."""
    return [None if v is pd.NA else v for v in series.tolist()]


def check_text_dtypes(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    """Every text column and the index have exactly the "string" dtype of the options in
    force (pyarrow: Arrow arrays that pass Arrow's full validation, UTF-8 included)."""
    want = pd.StringDtype()
    for col, values in [*((c, frame[c].array) for c in columns), (name, frame.index.array)]:
        assert values.dtype == want and str(values.dtype) == "string", col
        assert values.dtype.storage == want.storage and values.dtype.na_value is pd.NA, col
        if want.storage == "pyarrow":
            assert isinstance(values, pd.arrays.ArrowStringArray), col
            chunked = values._pa_array
            assert chunked.type == pa.large_string(), col
            chunked.validate(full=True)
        else:
            assert type(values) is pd.arrays.StringArray, col


# ----------------------------------------------------------------- each storage against the reference


@pytest.mark.parametrize("money", ["decimal", "minor"])
def test_ledger_frame_in_each_storage_is_the_reference_frame(lbook: aecore.Agency, store: str, money: str) -> None:
    assert _arrow_strings(pd) is (store == "pyarrow")
    for kw in filters(lbook):
        got = lbook.ledger_frame(money=money, **kw)
        assert_same_frame(got, reference_ledger_frame(lbook, money=money, **kw))
        check_text_dtypes(got, LEDGER_TEXT, "id")


def reference_jobs_minor(a: aecore.Agency) -> pd.DataFrame:
    """The reference jobs frame with cost as int64 minor units (hours stay Decimal)."""
    frame = reference_jobs_frame(a)
    digits = aecore.Money.from_minor(0, a.currency).digits
    frame["cost"] = pd.Series([int(c.scaleb(digits)) for c in frame["cost"]], index=frame.index, dtype="int64")
    return frame


@pytest.mark.parametrize("name", ["unicode", *BOOKS])
def test_jobs_frame_in_each_storage_is_the_reference_frame(name: str, store: str) -> None:
    a = unicode_book() if name == "unicode" else BOOKS[name]()
    got = a.jobs_frame()
    assert_same_frame(got, reference_jobs_frame(a))
    check_text_dtypes(got, JOBS_TEXT, "number")
    minor = a.jobs_frame(money="minor")
    assert_same_frame(minor, reference_jobs_minor(a))
    check_text_dtypes(minor, JOBS_TEXT, "number")
    assert minor["cost"].dtype == np.int64
    assert [repr(h) for h in minor["hours"]] == [repr(h) for h in got["hours"]]  # hours are no money


# ----------------------------------------------------------------- the two storages against each other


def frames_in(name: str, make: Any) -> pd.DataFrame:
    with storage(name):
        return make()


def assert_same_values(arrow: pd.DataFrame, python: pd.DataFrame, text: list[str]) -> None:
    assert list(arrow.columns) == list(python.columns)
    assert texts(arrow.index.to_series()) == texts(python.index.to_series())
    for col in arrow.columns:
        if col in text:
            assert texts(arrow[col]) == texts(python[col]), col
            assert (arrow[col].isna().to_numpy() == python[col].isna().to_numpy()).all(), col  # NA placement
        elif isinstance(arrow[col].dtype, pd.CategoricalDtype):  # categories: the str dtype of each storage
            assert arrow[col].tolist() == python[col].tolist(), col
            assert list(arrow[col].cat.categories) == list(python[col].cat.categories), col
        else:
            pd.testing.assert_series_equal(arrow[col].reset_index(drop=True), python[col].reset_index(drop=True),
                                           check_exact=True)
            if arrow[col].dtype == object:
                assert [repr(v) for v in arrow[col]] == [repr(v) for v in python[col]], col


def test_ledger_frame_values_are_the_same_in_both_storages(lbook: aecore.Agency) -> None:
    for kw in filters(lbook):
        for money in ("decimal", "minor"):
            arrow = frames_in("pyarrow", lambda: lbook.ledger_frame(money=money, **kw))
            python = frames_in("python", lambda: lbook.ledger_frame(money=money, **kw))
            assert isinstance(arrow["reference"].array, pd.arrays.ArrowStringArray)
            assert type(python["reference"].array) is pd.arrays.StringArray
            assert_same_values(arrow, python, LEDGER_TEXT)


@pytest.mark.parametrize("money", ["decimal", "minor"])
def test_jobs_frame_values_are_the_same_in_both_storages(money: str) -> None:
    a = unicode_book()
    arrow = frames_in("pyarrow", lambda: a.jobs_frame(money=money))
    python = frames_in("python", lambda: a.jobs_frame(money=money))
    assert_same_values(arrow, python, JOBS_TEXT)


def test_non_ascii_text_arrives_whole_in_both_storages() -> None:
    a = unicode_book()
    for name in STORAGES:
        with storage(name):
            frame = a.ledger_frame()
            refs = set(texts(frame["reference"]))
            assert {"采购单-🐼-001", "供应商发票 №7 ✓", "银行回单 😀", "退回 ↩ 重复付款", ""} <= refs, name
            reversal = frame[frame["reverses"].notna()]
            assert len(reversal) == 1 and reversal["kind"].iloc[0] == "PAYMENT"
            assert reversal["invoice"].iloc[0] == "INV-2026-002"
            jobs = a.jobs_frame()
            assert "熊猫海报 — 第二版 🎨" in texts(jobs["title"]) and "熊猫 🐼" in texts(jobs["brand"]), name


def test_na_placement_follows_the_ledger_entries() -> None:
    a = unicode_book()
    entries = a.ledger_entries()
    for name in STORAGES:
        with storage(name):
            frame = a.ledger_frame()
            for col in ("job", "invoice", "reverses", "time_entry"):
                assert frame[col].isna().tolist() == [getattr(e, col) is None for e in entries], (name, col)
                assert texts(frame[col]) == [getattr(e, col) for e in entries], (name, col)
            jobs = a.jobs_frame()
            assert texts(jobs["parent"]) == [j.parent for j in a.jobs]


# ----------------------------------------------------------------- edge cases


@pytest.mark.parametrize("money", ["decimal", "minor"])
def test_empty_frames_have_the_dtypes_of_the_option(store: str, money: str) -> None:
    a = aecore.Agency()
    ledger = a.ledger_frame(money=money)
    assert len(ledger) == 0
    check_text_dtypes(ledger, LEDGER_TEXT, "id")
    assert_same_frame(ledger, reference_ledger_frame(a, money=money))
    jobs = a.jobs_frame(money=money)
    assert len(jobs) == 0
    check_text_dtypes(jobs, JOBS_TEXT, "number")
    # a filter that selects nothing in a full book
    book = unicode_book()
    none = book.ledger_frame(start=D(2030, 1, 1), money=money)
    assert len(none) == 0
    assert_same_frame(none, reference_ledger_frame(book, start=D(2030, 1, 1), money=money))


def test_long_texts_grow_the_arrow_buffers() -> None:
    """References far longer than the buffers are first reserved for (16 bytes a row), and
    long invoice numbers on many payments, still arrive whole."""
    a = build_money_book()
    approve(a, JOB_A, "10000000")
    long_ref = "长" * 60 + "-" + "x" * 50  # 231 bytes of UTF-8
    for k in range(40):
        commit(a, JOB_A, "10", reference=f"{long_ref}{k:02d}")
    number = "INV-" + "9" * 60
    invoice(a, number, "5000")
    for k in range(30):
        pay(a, number, "1", D(2026, 7, 2) + dt.timedelta(days=k % 20), reference=f"{long_ref}")
    with storage("pyarrow"):
        frame = a.ledger_frame()
        frame["reference"].array._pa_array.validate(full=True)
        assert_same_frame(frame, reference_ledger_frame(a))
        assert texts(frame["invoice"]).count(number) == 30


def test_texts_of_every_length_arrive_whole() -> None:
    """The Arrow columns copy short texts in fixed-size moves (up to 8, 16 and 32 bytes, the
    head and the tail overlapping): every length from 1 to 72 bytes arrives byte for byte."""
    a = build_money_book()
    approve(a, JOB_A, "10000000")
    refs = ["".join(chr(33 + (7 * n + 3 * i) % 90) for i in range(n)) for n in range(1, 73)]
    for ref in refs:
        commit(a, JOB_A, "1", reference=ref)
    with storage("pyarrow"):
        frame = a.ledger_frame()
        frame["reference"].array._pa_array.validate(full=True)
        got = texts(frame["reference"])
    assert got[-len(refs) :] == refs


def test_a_large_frame_is_the_same_in_both_storages() -> None:
    """A book big enough for buffers of several megabytes (mapped memory, huge pages)."""
    a = aecore.samples.synthetic(clients=300, jobs_per_client=5, entries=400_000, seed=11)
    arrow = frames_in("pyarrow", lambda: a.ledger_frame(money="minor"))
    python = frames_in("python", lambda: a.ledger_frame(money="minor"))
    reference = arrow["reference"].array._pa_array
    assert sum(chunk.buffers()[1].size for chunk in reference.chunks) > (2 << 20)
    # built in parts on the machine's cores (at most 4, each part at least 65,536 rows)
    assert reference.num_chunks == min(4, os.cpu_count() or 1, len(arrow) // 65536)
    assert_same_values(arrow, python, LEDGER_TEXT)
    for col in ("client", "job", "reference", "invoice"):
        arrow[col].array._pa_array.validate(full=True)
    assert arrow.index[0] == "L00000001" and arrow.index[-1] == f"L{len(arrow):08d}"
    jobs = frames_in("pyarrow", lambda: a.jobs_frame(money="minor"))
    assert_same_values(jobs, frames_in("python", lambda: a.jobs_frame(money="minor")), JOBS_TEXT)


@pytest.mark.skipif(not os.uname().sysname == "Linux", reason="mapped column memory is Linux's")
def test_the_large_columns_of_a_frame_start_in_different_cache_sets() -> None:
    """The columns are written side by side, row by row; a dozen that each began at a
    2 MiB boundary (their mappings' start) would put every row's values in one set of each
    cache and write several times slower. Each mapped buffer (2 MiB or more) starts a few
    cache lines into its mapping, buffers made in a row at different offsets: the int64
    columns and, within each part, the text columns' big offsets and bytes all start at
    different places in a 4 KiB page (whose bits choose the cache set)."""
    a = aecore.samples.synthetic(clients=300, jobs_per_client=5, entries=400_000, seed=11)
    frame = frames_in("pyarrow", lambda: a.ledger_frame(money="minor"))
    mapped = 2 << 20

    numbers = [frame[c].to_numpy() for c in ("date", "due", "amount")]
    assert all(n.nbytes > mapped for n in numbers)
    starts = [n.__array_interface__["data"][0] % 4096 for n in numbers]
    assert len(set(starts)) == len(starts), starts
    assert all(s % 64 == 0 for s in starts)  # whole cache lines: Arrow's and numpy's alignment
    chunks = {c: frame[c].array._pa_array.chunks for c in LEDGER_TEXT if c != "currency"}
    checked = 0
    for part in range(len(chunks["client"])):
        buffers = [b for c in chunks for b in chunks[c][part].buffers()[1:] if b is not None and b.size > mapped]
        offsets = [b.address % 4096 for b in buffers]
        assert len(set(offsets)) == len(offsets), offsets
        checked += len(offsets)
    assert checked >= 4


def test_a_frame_built_in_the_memory_of_a_dropped_frame_is_the_same_in_both_storages() -> None:
    """A dropped frame's column memory (mapped, megabytes) is kept for the next frame and
    reused without clearing it: every offset, validity bit and value of the next frame must
    still be its own. The dropped frame is of another book, with other texts, nulls (invoice
    numbers) in other rows and more rows."""
    before = aecore._core._frame_memory_kept()
    other = aecore.samples.synthetic(clients=200, jobs_per_client=7, entries=650_000, seed=21)
    with storage("pyarrow"):
        dropped = other.ledger_frame(money="minor")
        assert dropped["invoice"].notna().sum() > 100_000 and dropped["invoice"].isna().sum() > 100_000
        del dropped
    kept = aecore._core._frame_memory_kept()
    assert kept > before
    a = aecore.samples.synthetic(clients=300, jobs_per_client=5, entries=600_000, seed=22)
    arrow = frames_in("pyarrow", lambda: a.ledger_frame(money="minor"))
    assert aecore._core._frame_memory_kept() < kept  # built in what was kept
    for col in LEDGER_TEXT:
        if col != "currency":
            arrow[col].array._pa_array.validate(full=True)
    assert_same_values(arrow, frames_in("python", lambda: a.ledger_frame(money="minor")), LEDGER_TEXT)
    assert arrow.index[0] == "L00000001" and arrow.index[-1] == f"L{len(arrow):08d}"
    columns = a.ledger_columns()
    assert (arrow["amount"].to_numpy() == columns["amount"]).all()
    assert (arrow["reversed"].to_numpy() == columns["reversed"]).all()


def test_a_large_selection_built_in_parts_is_the_same_in_both_storages() -> None:
    """A date filter keeps ~300,000 rows: the parts (Arrow chunks) of a selection, whose
    payments name invoices of rows in earlier parts and outside the selection."""
    a = aecore.samples.synthetic(clients=300, jobs_per_client=5, entries=400_000, seed=12)
    dates = [e.date for e in a.ledger_entries()[::1000]]
    start = sorted(dates)[len(dates) // 4]
    arrow = frames_in("pyarrow", lambda: a.ledger_frame(start=start))
    python = frames_in("python", lambda: a.ledger_frame(start=start))
    assert len(arrow) > 200_000 and arrow["invoice"].notna().sum() > 1000
    assert arrow["invoice"].array._pa_array.num_chunks == min(4, os.cpu_count() or 1, len(arrow) // 65536)
    for col in LEDGER_TEXT:
        if col != "currency":
            arrow[col].array._pa_array.validate(full=True)
    assert_same_values(arrow, python, LEDGER_TEXT)


def test_a_jobs_frame_built_in_parts_is_the_same_in_both_storages() -> None:
    """132,000 tickets: the Arrow text columns are built in parts (one chunk each), the
    Decimal hours and costs after them; the python storage builds them row by row."""
    a = aecore.samples.synthetic(clients=6600, jobs_per_client=20, entries=2000, seed=13)
    for money in ("decimal", "minor"):
        arrow = frames_in("pyarrow", lambda: a.jobs_frame(money=money))  # noqa: B023 - called at once
        python = frames_in("python", lambda: a.jobs_frame(money=money))  # noqa: B023
        assert arrow["title"].array._pa_array.num_chunks == min(4, os.cpu_count() or 1, len(arrow) // 65536)
        for col in ("parent", "client", "brand", "title", "issuer"):
            arrow[col].array._pa_array.validate(full=True)
        assert_same_values(arrow, python, JOBS_TEXT)
        assert arrow.index[0] == a.jobs[0].number and arrow.index[-1] == a.jobs[-1].number
        assert arrow["client"].iloc[70_000] == a.jobs[70_000].client


def test_revisions_in_a_later_part_keep_their_parents_and_titles() -> None:
    """The Arrow text columns are copied block by block from the agency's text columns:
    revisions (the only tickets with a parent) opened after 132,000 tickets fall in the last
    part, with titles of every length; each part's offsets start at its own first value.
    The same after a JSON round trip, which rebuilds the text columns."""
    a = aecore.samples.synthetic(clients=6600, jobs_per_client=20, entries=2000, seed=13)
    revised = [a.jobs[k] for k in (5, 70_000, 131_999)]
    titles = ["修订 ✂", "修订 ✂ " + "x" * 17, "修订 ✂ " + "x" * 40]  # 8 bytes to 49 in UTF-8
    for parent, title in zip(revised, titles):
        a.open_revision(parent.number, title=title, client_deadline=parent.client_deadline
                        + dt.timedelta(days=30), issuer=parent.issuer, opened_at=parent.opened_at + dt.timedelta(days=1))
    for book in (a, aecore.Agency.from_json(a.to_json())):
        arrow = frames_in("pyarrow", lambda: book.jobs_frame())  # noqa: B023 - called at once
        python = frames_in("python", lambda: book.jobs_frame())  # noqa: B023
        assert arrow["title"].array._pa_array.num_chunks == min(4, os.cpu_count() or 1, len(arrow) // 65536)
        for col in JOBS_TEXT:
            if col != "currency":
                arrow[col].array._pa_array.validate(full=True)
        assert_same_values(arrow, python, JOBS_TEXT)
        tail = arrow.iloc[-3:]
        assert list(tail["parent"]) == [t.number for t in revised]
        assert list(tail["title"]) == titles
        assert list(tail.index) == [t.number + "-R1" for t in revised]
        assert int(arrow["parent"].isna().sum()) == len(arrow) - 3
        assert list(arrow["issuer"].iloc[-3:]) == [t.issuer for t in revised]


def test_frames_own_their_columns_in_the_arrow_storage() -> None:
    a = unicode_book()
    with storage("pyarrow"):
        frame = a.ledger_frame(money="minor")
        frame.loc[frame.index[0], "amount"] = 1
        frame.loc[frame.index[0], "reference"] = "changed"
        frame.loc[frame.index[1], "job"] = pd.NA
        assert_same_frame(a.ledger_frame(money="minor"), reference_ledger_frame(a, money="minor"))
        del frame
        again = a.ledger_frame(money="minor")  # the buffers of the first frame are gone; these are new
        assert_same_frame(again, reference_ledger_frame(a, money="minor"))


def test_jobs_frame_refuses_another_money_style() -> None:
    a = aecore.samples.build("demo")
    with pytest.raises(ValueError, match="money="):
        a.jobs_frame(money="cents")  # type: ignore[arg-type]


def test_jobs_frame_minor_cost_sums_the_time_cost_in_minor_units() -> None:
    a = logged(aecore.samples.build("demo"))
    frame = a.jobs_frame(money="minor")
    want: dict[str, int] = {}
    for e in a.time_entries:
        want[e.job] = want.get(e.job, 0) + e.cost.minor_units
    assert want and frame["cost"].to_dict() == {j.number: want.get(j.number, 0) for j in a.jobs}
    decimal_cost = a.jobs_frame()["cost"]
    digits = aecore.Money.from_minor(0, a.currency).digits
    assert all(decimal.Decimal(m).scaleb(-digits) == d for m, d in zip(frame["cost"], decimal_cost))


def test_text_array_of_arrow_buffers_under_python_storage() -> None:
    """Arrow buffers handed over while dtype="string" means python storage still give that
    dtype (the public conversion)."""
    offsets = np.array([0, 3, 3, 6], dtype=np.int64)
    data = np.frombuffer("abc天".encode(), dtype=np.uint8)
    validity = np.array([0b101], dtype=np.uint8)
    for name in STORAGES:
        with storage(name):
            got = _text_array(pd, (offsets, data, validity, 1))
            pd.testing.assert_extension_array_equal(got, pd.array(["abc", pd.NA, "天"], dtype="string"))
            assert got.dtype == pd.StringDtype()


def test_the_arrow_columns_are_buffers_of_the_right_shape() -> None:
    a = unicode_book()
    cols = a._ledger_frame_columns(missing=pd.NA, arrow=True)
    n = a.ledger_size
    for name in ("id", *(c for c in LEDGER_TEXT if c != "currency")):
        offsets, data, validity, nulls = cols[name]
        assert offsets.dtype == np.int64 and offsets.shape == (n + 1,) and offsets[0] == 0, name
        assert data.dtype == np.uint8 and len(data) == offsets[-1], name
        assert (np.diff(offsets) >= 0).all(), name
        if validity is None:
            assert nulls == 0, name
        else:
            bits = np.unpackbits(validity, bitorder="little")[:n]
            assert nulls == n - bits.sum() and nulls > 0, name
    reference = cols["reference"]
    assert bytes(reference[1][reference[0][0]:reference[0][-1]]).decode() == \
        "".join(e.reference for e in a.ledger_entries())
    jobs = a._jobs_frame_columns(missing=pd.NA, arrow=True, minor=True)
    assert jobs["cost"].dtype == np.int64 and jobs["hours"].dtype == object
    offsets, data, validity, nulls = jobs["title"]
    assert bytes(data).decode() == "".join(j.title for j in a.jobs) and validity is None and nulls == 0
    kinds = cols["kind"]
    assert kinds.tolist() == [e.kind.value for e in a.ledger_entries()]
    assert EntryKind.PAYMENT.value in kinds
