"""Make the server's HTTPS certificate for the office network (self-signed), once, on the server.

    python deploy/certificate.py TÊN-MÁY-CHỦ [ĐỊA-CHỈ-IP ...] [--out deploy/tls] [--days 825]

Writes cert.pem (give it to the office's computers to trust) and key.pem (the private key: readable by its owner
only, never copied anywhere else) into --out. The certificate names every name and address given, plus localhost,
127.0.0.1 and ::1; server.py accepts exactly those names in the Host header (edge.server_names), so give every name
people type in their browser. 825 days is the longest validity Apple devices accept; make a new one before it ends
(the command prints the date).

Uses `cryptography` (requirements.txt), so it runs the same on Windows, where there is no openssl command. An office
that has its own certificate authority uses its certificate and key instead, with the same server.py options.
"""
from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import sys
from pathlib import Path

LOCAL = ["localhost", "127.0.0.1", "::1"]
DEFAULT_OUT = Path(__file__).resolve().parent / "tls"


def make(names: list[str], out: Path, days: int = 825, now: dt.datetime | None = None) -> tuple[Path, Path]:
    """A self-signed certificate for `names` (DNS names or IP addresses) and its key, as out/cert.pem and
    out/key.pem (the key written 0600 where the system has such modes). Returns the two paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    wanted = []
    for name in [*names, *LOCAL]:
        name = name.strip().strip("[]").lower()
        if name and name not in wanted:
            wanted.append(name)
    alternative = []
    for name in wanted:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, wanted[0][:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Giám sát Bộ phận Một cửa")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    out.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = out / "cert.pem", out / "key.pem"
    key_bytes = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    if key_path.exists():
        key_path.unlink()
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python deploy/certificate.py",
        description="Tạo chứng chỉ HTTPS tự ký cho máy chủ bảng điều khiển trên mạng văn phòng.")
    parser.add_argument("names", nargs="+", metavar="TÊN-HOẶC-ĐỊA-CHỈ",
                        help="tên máy chủ và địa chỉ IP mà người dùng gõ vào trình duyệt (ví dụ may-chu-hdnd "
                             "192.168.1.10)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="thư mục ghi cert.pem và key.pem")
    parser.add_argument("--days", type=int, default=825, help="số ngày chứng chỉ còn hiệu lực (mặc định 825)")
    parser.add_argument("--force", action="store_true", help="ghi đè chứng chỉ đã có")
    args = parser.parse_args(argv)
    if (args.out / "cert.pem").exists() and not args.force:
        print(f"Đã có {args.out / 'cert.pem'}; thêm --force để tạo chứng chỉ mới thay cho nó (các máy đã tin chứng "
              "chỉ cũ phải được cài chứng chỉ mới).", file=sys.stderr)
        return 1
    cert, key = make(args.names, args.out, args.days)
    until = (dt.date.today() + dt.timedelta(days=args.days)).strftime("%d/%m/%Y")
    print(f"Đã tạo chứng chỉ {cert} (hết hạn {until}) và khoá riêng {key}.\n"
          "Khởi động máy chủ:\n"
          f"    streamlit run server.py --server.address 0.0.0.0 --server.sslCertFile {cert} "
          f"--server.sslKeyFile {key}\n"
          f"Cài {cert.name} vào mục \"Trusted Root Certification Authorities\" trên các máy trong văn phòng (hoặc "
          "bằng Group Policy) để trình duyệt không cảnh báo; không chép key.pem đi đâu khác.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
