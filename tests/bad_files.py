"""Bad inputs made on the fly in a temporary folder (the corpus itself is never altered)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import GA


def encrypted_pdf() -> bytes:
    """A minimal PDF under the standard security handler whose user password is not empty."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    file_id = b"ab" * 16
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id, file_id, xref)
    return bytes(out)


def blank_pdf(path: Path) -> Path:
    """A valid one-page PDF with no text: a PDF that is not a resolution."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(612, 792)
    pdf.save(str(path))
    return path


def make_bad_files(folder: Path) -> dict[str, Path]:
    """One file per kind of bad input, named by kind."""
    files = {
        "empty": (folder / "empty.txt", b""),
        "truncated": (folder / "truncated.pdf", (GA / "A_RES_78_220.pdf").read_bytes()[:20000]),
        "encrypted": (folder / "encrypted.pdf", encrypted_pdf()),
        "garbage": (folder / "garbage.bin", bytes(range(256)) * 8),
        "latin1": (folder / "latin1.txt", "Résolution adoptée par l'Assemblée générale\n".encode("latin-1")),
        "prose": (folder / "prose.txt", b"A grocery list: apples, pears and bread.\n"),
    }
    for path, data in files.values():
        path.write_bytes(data)
    paths = {kind: path for kind, (path, _) in files.items()}
    paths["blank"] = blank_pdf(folder / "blank.pdf")
    return paths
