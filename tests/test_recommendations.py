"""The follow-up of recommendations (issue 18, item 5): a session's recommendations kept in the store, the deadline
for the body's report on its follow-up in calendar days (15, 30 for a complex matter), and the next session's report
carrying "Kết quả thực hiện kiến nghị giám sát lần trước", overdue ones first.

By hand: session "Q1-2026" reported on 20/04/2026; its recommendation to UBND phường Tam Thanh (not complex) has its
follow-up report due 15 days later, 05/05/2026; the one to Sở Nông nghiệp và Môi trường (complex) 30 days later,
20/05/2026. The next session reports on 15/10/2026: both are past due unless answered as done."""
import datetime as dt
import io

import docx

from analytics.cli import main
from analytics.dossiers.store import Store
from analytics.model.recommendations import DONE, Recommendation
from tests.session_fixtures import ROOT


def run(tmp_path, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "d"), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def report(tmp_path, capsys, session: str) -> str:
    out = tmp_path / f"{session}.docx"
    assert run(tmp_path, capsys, "export", "--session", session, "--format", "docx", "--out", out,
               ROOT / "sample_data" / "exports")[0] == 0
    return "\n".join(p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs)


def test_the_deadline_is_counted_in_calendar_days():
    asked = dt.date(2026, 4, 20)
    assert Recommendation("S", "B", "T", asked).report_due == dt.date(2026, 5, 5)
    assert Recommendation("S", "B", "T", asked, complex_matter=True).report_due == dt.date(2026, 5, 20)
    rec = Recommendation("S", "B", "T", asked)
    assert not rec.overdue_on(dt.date(2026, 5, 5)) and rec.overdue_on(dt.date(2026, 5, 6))
    assert not Recommendation("S", "B", "T", asked, status=DONE).overdue_on(dt.date(2027, 1, 1))


def test_a_recommendation_made_in_one_session_is_followed_up_in_the_next_report(tmp_path, capsys):
    assert run(tmp_path, capsys, "session", "add", "Q1-2026", "--from", "2026-01-01", "--to", "2026-03-31",
               "--date", "2026-04-20")[0] == 0
    code, said = run(tmp_path, capsys, "recommend", "add", "Q1-2026", "--body", "UBND phường Tam Thanh",
                     "--text", "Gửi văn bản xin lỗi trước ngày hẹn trả cho mọi hồ sơ trễ hạn")
    assert code == 0 and "hạn báo cáo kết quả thực hiện 05/05/2026" in said
    assert run(tmp_path, capsys, "recommend", "add", "Q1-2026", "--body", "Sở Nông nghiệp và Môi trường",
               "--text", "Rà soát thời hạn thủ tục đất đai", "--complex")[0] == 0
    assert run(tmp_path, capsys, "session", "add", "Q3-2026", "--from", "2026-07-01", "--to", "2026-09-30",
               "--date", "2026-10-15")[0] == 0
    assert "Kết quả thực hiện kiến nghị giám sát lần trước" not in report(tmp_path, capsys, "Q1-2026")
    text = report(tmp_path, capsys, "Q3-2026")
    assert "8. Kết quả thực hiện kiến nghị giám sát lần trước" in text
    assert ("Kiến nghị UBND phường Tam Thanh (Q1-2026, 20/04/2026): Gửi văn bản xin lỗi trước ngày hẹn trả cho mọi "
            "hồ sơ trễ hạn (hạn báo cáo kết quả 05/05/2026). Tình hình: chưa thực hiện — QUÁ HẠN.") in text
    assert "(hạn báo cáo kết quả 20/05/2026). Tình hình: chưa thực hiện — QUÁ HẠN." in text
    # the body answers: done, said with its date, no longer overdue
    [first, _] = Store(tmp_path / "d").recommendations()
    assert run(tmp_path, capsys, "recommend", "answer", first.rec_id, "--status", DONE, "--answer",
               "Đã gửi 12 văn bản xin lỗi", "--on", "2026-05-04")[0] == 0
    text = report(tmp_path, capsys, "Q3-2026")
    assert ("Tình hình: đã thực hiện; cơ quan trả lời ngày 04/05/2026: Đã gửi 12 văn bản xin lỗi.") in text
    lines = [line for line in text.splitlines() if "(Q1-2026, 20/04/2026)" in line]
    assert "QUÁ HẠN" in lines[0] and "QUÁ HẠN" not in lines[1]   # the overdue one first
    code, listed = run(tmp_path, capsys, "recommend", "list", "--open")
    assert code == 0 and "Sở Nông nghiệp và Môi trường" in listed and "UBND phường Tam Thanh" not in listed
    assert run(tmp_path, capsys, "recommend", "answer", 99, "--status", DONE)[0] == 2


def test_the_report_screen_takes_a_recommendation_and_follows_the_open_ones(empty_store):
    from analytics.model.session import SupervisionSession
    from tests.apps import page_app
    empty_store.save_session(SupervisionSession("Q1-2026", dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                                                report_date=dt.date(2026, 4, 20)))
    at = page_app("pages/bao-cao.py", {"report_session": "Q1-2026"}).run()
    assert not at.exception, at.exception
    [body] = [t for t in at.text_input if t.label == "Cơ quan được kiến nghị"]
    body.input("UBND phường Tam Thanh")
    [text] = [t for t in at.text_area if t.label == "Nội dung kiến nghị"]
    text.input("Gửi văn bản xin lỗi trước ngày hẹn trả")
    [add] = [b for b in at.button if b.label == "Thêm kiến nghị"]
    add.click().run()
    assert not at.exception, at.exception
    [rec] = empty_store.recommendations()
    assert (rec.session, rec.body, rec.asked_on, rec.report_due) == ("Q1-2026", "UBND phường Tam Thanh",
                                                                     dt.date(2026, 4, 20), dt.date(2026, 5, 5))
    tables = [d.value for d in at.dataframe if "Hạn báo cáo kết quả" in d.value.columns]
    assert len(tables) == 2 and all(t["Cơ quan được kiến nghị"].tolist() == ["UBND phường Tam Thanh"] for t in tables)
    assert any("1 kiến nghị chưa thực hiện xong" in w.value for w in at.warning)   # past 05/05/2026 today


def test_recommendations_written_into_the_report_are_read_back_once(tmp_path, capsys):
    assert run(tmp_path, capsys, "session", "add", "Q1-2026", "--from", "2026-01-01", "--to", "2026-03-31",
               "--date", "2026-04-20", "--bodies", "UBND phường Tam Thanh")[0] == 0
    made = tmp_path / "Q1-2026.docx"
    report(tmp_path, capsys, "Q1-2026")
    document = docx.Document(str(made))
    paragraphs = document.paragraphs
    heading = next(n for n, p in enumerate(paragraphs) if p.text.startswith("2. Đối với UBND phường Tam Thanh"))
    paragraphs[heading + 1].text = "- Gửi văn bản xin lỗi trước ngày hẹn trả cho mọi hồ sơ trễ hạn."
    paragraphs[heading + 2].text = "- Công khai kết quả giải quyết tại Bộ phận Một cửa."
    first = next(n for n, p in enumerate(paragraphs) if p.text.startswith("1. Đối với Ủy ban nhân dân cấp trên"))
    paragraphs[first + 1].text = "Chỉ đạo rà soát thời hạn giải quyết thủ tục đất đai."
    edited = tmp_path / "da-sua.docx"
    document.save(str(edited))
    code, said = run(tmp_path, capsys, "recommend", "import", "Q1-2026", edited)
    assert code == 0 and "Đã đọc 3 kiến nghị" in said and "thêm 3 kiến nghị mới" in said
    assert [(r.body, r.text, r.asked_on) for r in Store(tmp_path / "d").recommendations()] == [
        ("Ủy ban nhân dân cấp trên", "Chỉ đạo rà soát thời hạn giải quyết thủ tục đất đai.", dt.date(2026, 4, 20)),
        ("UBND phường Tam Thanh", "Gửi văn bản xin lỗi trước ngày hẹn trả cho mọi hồ sơ trễ hạn.",
         dt.date(2026, 4, 20)),
        ("UBND phường Tam Thanh", "Công khai kết quả giải quyết tại Bộ phận Một cửa.", dt.date(2026, 4, 20))]
    assert "thêm 0 kiến nghị mới" in run(tmp_path, capsys, "recommend", "import", "Q1-2026", edited)[1]
    not_word = tmp_path / "x.docx"
    not_word.write_text("không phải docx", encoding="utf-8")
    code, said = run(tmp_path, capsys, "recommend", "import", "Q1-2026", not_word)
    assert code == 1 and "không phải văn bản Word" in said and "Traceback" not in said
