"""A supervision session over the sample (Lạng Sơn, Q1/2019 against 2018) and office-suite helpers, shared by the
tests of the report, the slides and the workbook."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from analytics.analyses.session_figures import SessionFigures, prepared, session_figures
from analytics.dossiers import provenance
from analytics.dossiers.sources import read_files
from analytics.ingest.catalog import read_catalog
from analytics.model.session import Provenance, SupervisionSession

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SESSION = SupervisionSession(
    "Giám sát TP Lạng Sơn quý I/2019", dt.date(2019, 1, 1), dt.date(2019, 3, 31), dt.date(2018, 1, 1),
    dt.date(2018, 12, 31), team="Đoàn giám sát HĐND tỉnh Lạng Sơn", bodies="UBND thành phố Lạng Sơn",
    catalog=str(ROOT / "sample_data" / "procedures.xlsx"))

# The seed article's review: 2018 to the end of Q1 2019, no comparison, every unit (1.365 dossiers resolved).
SEED_SESSION = SupervisionSession(
    "GS-TPLS-2018-Q1.2019", dt.date(2018, 1, 1), dt.date(2019, 3, 31), team="Đoàn giám sát HĐND tỉnh Lạng Sơn",
    bodies="UBND thành phố Lạng Sơn", catalog=str(ROOT / "sample_data" / "procedures.xlsx"),
    title="Giám sát chuyên đề công tác cải cách hành chính, thủ tục hành chính tại Bộ phận tiếp nhận và trả kết quả "
          "thành phố Lạng Sơn từ năm 2018 đến quý I năm 2019",
    parent_body="HĐND tỉnh Lạng Sơn", signer="Vũ Văn Quang")


@lru_cache(maxsize=1)
def _sample_dossiers():
    return read_files([ROOT / "sample_data" / "exports"])


@lru_cache(maxsize=4)
def session_of(session: SupervisionSession) -> tuple[SessionFigures, Provenance]:
    """A session's figures over the sample, and their provenance (read once per test run), as the command line's
    export makes them (due dates filled from the session's catalog when it asks for it)."""
    loaded = _sample_dossiers()
    catalog = read_catalog(session.catalog) if session.catalog else None
    figures = session_figures(prepared(loaded.dossiers, session, catalog), session, loaded.missing_fields(), catalog)
    return figures, provenance.from_files(loaded, is_sample=True)


def sample_session() -> tuple[SessionFigures, Provenance]:
    """The sample's session (Q1/2019 against 2018): its figures and provenance."""
    return session_of(SAMPLE_SESSION)


def seed_session() -> tuple[SessionFigures, Provenance]:
    """The seed article's session (2018 – Q1/2019, no comparison): its figures and provenance."""
    return session_of(SEED_SESSION)


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
