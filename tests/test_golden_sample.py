"""The sample data reproduce the seed article: 1.365 dossiers resolved from 2018 to the end of Q1 2019, > 95% on time.

The golden file pins the headline after parsing; regenerate it only on purpose (see tests/golden/README.md).
"""
import json
from pathlib import Path

import pytest

from analytics.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "sample_2018_2019q1.json"


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


def test_the_headline_matches_the_golden_file(report):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert report["total"] == golden["total"]
    assert {g["name"]: {k: v for k, v in g.items() if k != "name"} for g in report["groups"]} == golden["by_field"]
    assert report["data_quality"]["merged_duplicates"] == golden["merged_duplicates"]
    assert report["data_quality"]["left_out_of_counts"] == golden["left_out_of_counts"]


def test_the_importer_agrees_with_the_generators_own_ground_truth(report):
    # The generator counts from what it generated, without the importer: two independent roads to one table.
    expected = json.loads((ROOT / "sample_data" / "expected_headline.json").read_text(encoding="utf-8"))
    assert {k: report["total"][k] for k in expected} == expected


def test_the_sample_reads_without_skipped_rows(report):
    assert report["data_quality"]["rows_skipped"] == 0 and report["data_quality"]["issues_total"] == 0
