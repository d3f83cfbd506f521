"""The parsed-table cache an audit shares with its notebooks (cxtoolkit.io.cache)."""
from __future__ import annotations

import pandas as pd
import pytest

from cxtoolkit.io import cache, loader
from cxtoolkit.io.loader import load_table

CSV = ("contact_id;channel;received_at;answered;wait_s;talk_s;customer_id\n"
       "c1;phone;03/11/2026 09:15;oui;12,5;180;K1\n"
       "c2;téléphone;03/11/2026 09:20;non;40;;K2\n"
       "c3;phone;31/02/2026 10:00;oui;5;60;K3\n")


@pytest.fixture()
def files(tmp_path, monkeypatch):
    f = tmp_path / "contacts.csv"
    f.write_text(CSV, encoding="utf-8")
    d = tmp_path / "cache"
    d.mkdir()
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(d))
    return f, d


def _count_reads(monkeypatch):
    calls = []
    real = loader.read_file

    def counting(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(loader, "read_file", counting)
    return calls


def test_hit_returns_the_same_frames_without_parsing(files, monkeypatch):
    f, d = files
    calls = _count_reads(monkeypatch)
    acc1, rej1, n1 = load_table(f, "contacts", name="contacts.csv")
    acc2, rej2, n2 = load_table(f, "contacts", name="contacts.csv")
    assert len(calls) == 1                               # second read came from the cache
    pd.testing.assert_frame_equal(acc1, acc2)            # dtypes included (category, string, datetime)
    pd.testing.assert_frame_equal(rej1, rej2)
    assert n1 == n2 and n2["read"] == 3 and n2["rejected"] == 1 == len(rej2)
    assert rej2["reason"].str.contains("date").any()     # 31/02 rejected, not rolled over
    assert len(list(d.glob("*.json"))) == 1


def test_edited_file_or_other_options_miss(files, monkeypatch):
    f, d = files
    calls = _count_reads(monkeypatch)
    load_table(f, "contacts")
    f.write_text(CSV.replace("12,5", "13,5"), encoding="utf-8")   # same size, other bytes
    acc, _, _ = load_table(f, "contacts")
    assert len(calls) == 2 and acc["wait_s"].iloc[0] == 13.5
    load_table(f, "contacts", now=pd.Timestamp("2026-12-01"))       # another "today": miss
    assert len(calls) == 3


def test_damaged_entry_is_parsed_again(files, monkeypatch):
    f, d = files
    calls = _count_reads(monkeypatch)
    load_table(f, "contacts")
    for p in d.glob("*.accepted.parquet"):
        p.write_bytes(b"not parquet")
    acc, _, _ = load_table(f, "contacts")
    assert len(calls) == 2 and len(acc) == 2


def test_no_cache_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.ENV_CACHE_DIR, raising=False)
    f = tmp_path / "contacts.csv"
    f.write_text(CSV, encoding="utf-8")
    calls = _count_reads(monkeypatch)
    load_table(f, "contacts")
    load_table(f, "contacts")
    assert len(calls) == 2 and cache.cache_dir() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv"]
