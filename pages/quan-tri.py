"""Quản trị (admins only): the accounts, and the audit trail of who did what and when."""
import datetime as dt

import streamlit as st

from analytics.access import audit
from analytics.access.audit import AuditTrail
from analytics.access.users import ROLE_LABELS, Users
from ui import access, data, sidebar, tables

access.page_guard(access.ADMIN)
sidebar.keep_alive()
st.title("Quản trị")
store = data.store()

st.subheader("Tài khoản")
accounts = Users(store).all()
if not accounts:
    st.info("Chưa có tài khoản nào: bảng điều khiển chạy ở chế độ một người dùng, chỉ mở được trên máy này. Thêm tài "
            "khoản trên máy chủ: `python -m analytics users add TÊN --role admin|analyst|viewer`.",
            icon=":material/person_add:")
else:
    now = dt.datetime.now()
    st.dataframe([{"Tên đăng nhập": u.name, "Vai trò": ROLE_LABELS.get(u.role, u.role),
                   "Lần sai liên tiếp": u.failures,
                   "Tạm khoá đến": f"{u.locked_until:%H:%M %d/%m/%Y}" if u.locked(now) else ""} for u in accounts],
                 hide_index=True, width="stretch")
    locked = [u.name for u in accounts if u.locked(now)]
    if locked:
        left, right = st.columns([3, 1])
        chosen = left.selectbox("Mở khoá tài khoản", locked, key="unlock_choice")
        if right.button("Mở khoá", key="unlock_button"):
            Users(store).unlock(chosen)
            access.record(audit.USER_UNLOCKED, chosen)
            st.rerun()
    st.caption("Thêm, xoá, đổi mật khẩu hay vai trò trên máy chủ (mật khẩu không bao giờ đi qua trình duyệt ở đây): "
               "`python -m analytics users add|remove|passwd|role|unlock TÊN`, `python -m analytics users list`.")

st.subheader("Nhật ký thao tác")
trail = AuditTrail(store)
left, middle, right = st.columns(3)
action = left.selectbox("Loại việc", [None, *audit.ACTION_LABELS], key="audit_action",
                        format_func=lambda a: "Tất cả" if a is None else audit.ACTION_LABELS[a])
actor = middle.text_input("Người thực hiện", key="audit_actor").strip() or None
limit = right.number_input("Số dòng gần nhất", 10, 100_000, 500, step=100, key="audit_limit")
entries = trail.entries(limit=int(limit), actor=actor, action=action)
if entries.empty:
    st.info("Nhật ký chưa có dòng nào khớp điều kiện đã chọn.")
else:
    shown = audit.readable(entries.assign(happened_at=entries["happened_at"].dt.strftime("%d/%m/%Y %H:%M:%S")))
    st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 1) + 3, 560))
    tables.downloads(shown, "nhat-ky-thao-tac", "audit")
check = trail.verify()
if check.holds:
    st.caption(f"Nhật ký nguyên vẹn: {check.entries} dòng, chuỗi kiểm tra SHA-256 khớp từ đầu đến cuối. Chỉ ghi thêm, "
               "không sửa hay xoá được từ chương trình.")
else:
    st.error(f"Nhật ký đã bị sửa hoặc xoá ngoài chương trình từ dòng số {check.first_broken}. Hãy giữ bản sao tệp kho "
             "dữ liệu và báo cho người có trách nhiệm.", icon=":material/gpp_bad:")
