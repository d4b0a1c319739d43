"""A supervision session over the sample (Lạng Sơn, Q1/2019 against 2018) and office-suite helpers, shared by the
tests of the report, the slides and the workbook."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from analytics.analyses.session_figures import SessionFigures, session_figures
from analytics.dossiers import provenance
from analytics.dossiers.sources import read_files
from analytics.ingest.catalog import read_catalog
from analytics.model.session import Provenance, SupervisionSession

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SESSION = SupervisionSession(
    "Giám sát TP Lạng Sơn quý I/2019", dt.date(2019, 1, 1), dt.date(2019, 3, 31), dt.date(2018, 1, 1),
    dt.date(2018, 12, 31), team="Đoàn giám sát HĐND tỉnh Lạng Sơn", bodies="UBND thành phố Lạng Sơn",
    catalog=str(ROOT / "sample_data" / "procedures.xlsx"))


@lru_cache(maxsize=1)
def sample_session() -> tuple[SessionFigures, Provenance]:
    """The sample's session: its figures and provenance (read once per test run)."""
    loaded = read_files([ROOT / "sample_data" / "exports"])
    figures = session_figures(loaded.dossiers, SAMPLE_SESSION, loaded.missing_fields(),
                              read_catalog(SAMPLE_SESSION.catalog))
    return figures, provenance.from_files(loaded, is_sample=True)


def office_pdf_text(path: Path, tmp_path: Path) -> str:
    """The text of the PDF LibreOffice makes of an office file (the file opens without repair in a real suite)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed: .ci/run installs it"
    out = tmp_path / "pdf"
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                           "--convert-to", "pdf", "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=180, check=False)
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists(), done.stderr or done.stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60,
                          check=True).stdout
    return text
