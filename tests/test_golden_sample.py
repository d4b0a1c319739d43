"""The sample data reproduce the seed article: 1.365 dossiers resolved from 2018 to the end of Q1 2019, > 95% on time.

Every expectation comes from the sample generator's own model (`sample_data/expected_headline.json`, written by
`make_sample.py` from the rows it generated, without the importer): two independent roads to one report.
"""
import json
from pathlib import Path

import pytest

from analytics.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "sample_data" / "expected_headline.json"
COUNT_KEYS = ["received_total", "received_online", "received_direct_postal", "carried_over", "resolved_total",
              "resolved_early", "resolved_on_time", "resolved_late", "pending_total", "pending_in_time",
              "pending_overdue", "withdrawn"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import io
    from contextlib import redirect_stdout
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(tmp_path_factory.mktemp("d")), "report", str(ROOT / "sample_data" / "exports"),
                     "--from", "2018-01-01", "--to", "2019-03-31", "--by", "field", "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_the_seed_figures(report):
    assert report["total"]["resolved_total"] == 1365
    assert report["total"]["on_time_rate"] > 0.95


@pytest.fixture(scope="module")
def expected():
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_the_total_matches_the_generators_model(report, expected):
    assert {k: report["total"][k] for k in COUNT_KEYS} == {k: expected[k] for k in COUNT_KEYS}


def test_every_field_matches_the_generators_model(report, expected):
    by_field = {g["name"]: {k: g[k] for k in COUNT_KEYS} for g in report["groups"]}
    assert by_field == expected["by_field"]


def test_merges_and_left_out_dossiers_match_the_generators_model(report, expected):
    assert report["data_quality"]["merged_duplicates"] == expected["merged_duplicates"]
    assert report["data_quality"]["left_out_of_counts"] == expected["left_out_of_counts"]


def test_the_sample_reads_without_skipped_rows(report):
    assert report["data_quality"]["rows_skipped"] == 0 and report["data_quality"]["issues_total"] == 0
