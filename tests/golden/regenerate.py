"""Rewrite the golden file from a report JSON (see README.md beside this file)."""
import json
import sys
from pathlib import Path

doc = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
golden = {"from": doc["from"], "to": doc["to"], "total": doc["total"],
          "by_field": {g["name"]: {k: v for k, v in g.items() if k != "name"} for g in doc["groups"]},
          "merged_duplicates": doc["data_quality"]["merged_duplicates"],
          "left_out_of_counts": doc["data_quality"]["left_out_of_counts"]}
(Path(__file__).parent / "sample_2018_2019q1.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1),
                                                               encoding="utf-8")
