"""Every PDF is re-read before it gets its name: an unopenable file is never delivered."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE

from layout.cli import main
from layout.render import pdfdoc
from layout.render.pdfcheck import PdfCheckError, _problem, check_pdf

PAGES = ROOT / "editions" / "hucheng-2023-12-29-pages.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", str(PAGES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_written_pdf_passes_the_check(built: Path):
    check_pdf(built / "2023-12-29-01.pdf", 1)
    check_pdf(built / "2023-12-29-02.pdf", 1)
    check_pdf(built / "2023-12-29.pdf", 2)


@pytest.mark.parametrize("damage, expected", [
    (lambda d: d[: len(d) // 2], "startxref"),
    (lambda d: d[:-7], "startxref"),
    (lambda d: d[:1000] + b" " + d[1000:], "where there is no cross-reference table"),
    (lambda d: d.replace(b"\n5 0 obj", b"\n5 1 obj", 1), "not at its recorded offset"),
    (lambda d: d.replace(b"/FontFile2", b"/FontFileX", 1), "no embedded font program"),
    (lambda d: b"%PDF" + d[8:], "header"),
    (lambda d: d.replace(b"\nxref\n", b"\nxrex\n"), "no cross-reference table"),
])
def test_damage_is_found(built: Path, damage, expected: str):
    data = (built / "2023-12-29.pdf").read_bytes()
    assert _problem(data, 2) is None
    problem = _problem(damage(data), 2)
    assert problem and expected in problem


def test_a_page_count_that_disagrees_is_found(built: Path):
    with pytest.raises(PdfCheckError, match="counts 2 pages, 3 were drawn"):
        check_pdf(built / "2023-12-29.pdf", 3)


def test_a_writer_fault_delivers_nothing_and_exits_non_zero(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    """The previous build's files stay as they were; no temporary file is left behind."""
    out = tmp_path / "out"
    good = CliRunner().invoke(main, ["build", str(SAMPLE), "-o", str(out)])
    assert good.exit_code == 0, good.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    finish = pdfdoc.PdfDocument.finish

    def cut_short(self) -> None:   # a writer that stops before the cross-reference table
        finish(self)
        self.writer.out.truncate(self.writer.out.tell() - 200)

    monkeypatch.setattr(pdfdoc.PdfDocument, "finish", cut_short)
    changed = SAMPLE.read_text(encoding="utf-8").replace("累计派驻助企干部116名", "累计派驻118名")
    edition = tmp_path / "edition.yaml"
    edition.write_text(changed, encoding="utf-8")
    (tmp_path / "photos").symlink_to(SAMPLE.parent / "photos")
    bad = CliRunner().invoke(main, ["build", str(edition), "-o", str(out)])
    assert bad.exit_code == 1, bad.output
    assert "does not end with startxref" in bad.output and "no PDF was written" in bad.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
