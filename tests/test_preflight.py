"""Preflight (R39–R45): planted faults are caught, a clean file passes, and
the font findings agree with poppler's pdffonts where it is installed.

The PDFs are built here with plain ReportLab (not with paiban's renderer) so
the checker is tested against a producer it does not control, and edited with
pikepdf where ReportLab cannot write something (output intent, stray fonts).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.preflight import (
    CHECKS,
    PreflightError,
    format_table,
    parse_trim,
    preflight,
)

MM = 72.0 / 25.4
BROADSHEET = (390 * MM, 550 * MM)
REPO = Path(__file__).resolve().parents[1]
FONT_CANDIDATES = [
    REPO / "fonts" / "PaibanSerifSC-Regular.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("C:/Windows/Fonts/arial.ttf"),
]


def _ttf_path() -> Path:
    for path in FONT_CANDIDATES:
        if path.is_file():
            return path
    pytest.skip("no TrueType font found to embed")


def _register_font() -> str:
    name = "PreflightTestSerif"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(_ttf_path())))
    return name


def _photo(mode: str, size: tuple[int, int], colour: tuple[int, ...]) -> Image.Image:
    """A flat colour with a diagonal of lighter pixels (never more ink than `colour`)."""
    image = Image.new(mode, size, colour)
    for x in range(0, size[0], 7):
        image.putpixel((x, x % size[1]), tuple(max(0, v - 30) for v in colour))
    return image


def _pages(report) -> dict[str, set[int | None]]:
    """check name → pages it fired on."""
    result: dict[str, set[int | None]] = {}
    for finding in report.findings:
        result.setdefault(finding.check, set()).add(finding.page)
    return result


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def bad_pdf(tmp_path_factory) -> Path:
    """Two pages of planted faults, one fault kind per place:

    page 1: RGB text in the standard (never embedded) Helvetica, rich black text;
    page 2 (wrong trim size): a 72-ppi RGB photo, Courier text hidden inside a
            Form XObject, and a Times-Roman font that is only listed in the
            page resources (never used). No TrimBox, no output intent anywhere.
    """
    path = tmp_path_factory.mktemp("bad") / "bad.pdf"
    font = _register_font()
    c = canvas.Canvas(str(path), pagesize=BROADSHEET, invariant=1)
    c.setFont("Helvetica", 12)
    c.setFillColorRGB(0.8, 0.1, 0.1)
    c.drawString(100, 1400, "RGB headline in Helvetica")
    c.setFillColorCMYK(0.6, 0.4, 0.4, 1)
    c.drawString(100, 1300, "rich black body text")
    c.showPage()

    c.setPageSize((380 * MM, 550 * MM))
    c.setFont(font, 10)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.drawString(100, 1400, "K-only text in an embedded font")
    # 144 × 96 px drawn at 2 × ⅔ in → 72 ppi across, 144 ppi down: the
    # effective resolution is the lower one.
    photo = _photo("RGB", (144, 96), (200, 120, 60))
    c.drawImage(ImageReader(photo), 100, 900, width=144, height=48)
    c.beginForm("Stamp")
    c.setFont("Courier", 9)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.drawString(0, 0, "text inside a form")
    c.endForm()
    c.doForm("Stamp")
    c.showPage()
    c.save()

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        times = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name("/Times-Roman"),
                Encoding=pikepdf.Name.WinAnsiEncoding,
            )
        )
        page2 = pdf.pages[1]
        page2.Resources.Font = pikepdf.Dictionary(page2.Resources.Font)
        page2.Resources.Font["/FUnused"] = times
        pdf.save(path)
    return path


def _add_pdfx(path: Path) -> None:
    """What ReportLab cannot write: PDF/X output intent and version keys."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier="ISOnewspaper26v4",
            OutputCondition="WAN-IFRA coldset newsprint",
            RegistryName="http://www.color.org",
        )
        pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-1a:2001"
        pdf.docinfo["/GTS_PDFXConformance"] = "PDF/X-1a:2001"
        pdf.docinfo["/Trapped"] = pikepdf.Name("/False")
        pdf.save(path)


def _good_canvas(path: Path) -> canvas.Canvas:
    font = _register_font()
    # initialFontName: otherwise ReportLab selects Helvetica on every page.
    c = canvas.Canvas(
        str(path),
        pagesize=BROADSHEET,
        invariant=1,
        initialFontName=font,
        trimBox=(0, 0, *BROADSHEET),
    )
    c.setFont(font, 9)
    return c


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> Path:
    """Embedded TrueType, K-only text and rules, a 300-ppi CMYK photo within
    the ink limit, TrimBox, PDF/X output intent."""
    path = tmp_path_factory.mktemp("good") / "good.pdf"
    c = _good_canvas(path)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    for line in range(40):
        c.drawString(60, 1500 - line * 13.5, f"Body text set in K only, line {line}")
    c.line(60, 900, 400, 900)
    # 600 × 450 px at 2 × 1.5 in → 300 ppi; C+M+Y+K = 230 % max.
    photo = _photo("CMYK", (600, 450), (153, 102, 102, 230))
    c.drawImage(ImageReader(photo), 60, 600, width=144, height=108)
    c.showPage()
    c.save()
    _add_pdfx(path)
    return path


# ------------------------------------------------------------------ (1) bad PDF


def test_bad_pdf_reports_every_planted_fault(bad_pdf):
    report = preflight(bad_pdf, trim_mm=(390, 550))
    fired = _pages(report)
    messages = [f.message for f in report.findings]

    assert not report.ok
    assert fired["pdfx"] == {None}  # no output intent, no GTS_PDFXVersion
    assert fired["boxes"] == {1, 2}  # no TrimBox on either page
    assert fired["trim-size"] == {2}  # page 2 is 380 mm wide
    assert fired["image-colour"] == {2}
    assert fired["image-resolution"] == {2}
    assert fired["fonts-embedded"] == {1, 2}
    assert fired["text-colour"] == {1}

    def on(check: str, page: int) -> list[str]:
        return [f.message for f in report.findings if f.check == check and f.page == page]

    assert any("Helvetica" in m for m in on("fonts-embedded", 1))
    page2_fonts = " ".join(on("fonts-embedded", 2))
    assert "Courier" in page2_fonts  # inside the Form XObject
    assert "Times-Roman" in page2_fonts and "only referenced in resources" in page2_fonts
    assert not any("PreflightTestSerif" in m for m in messages)  # embedded one is fine
    assert any("DeviceRGB" in m for m in on("text-colour", 1))
    assert any("rich black" in m and "60/40/40/100" in m for m in on("text-colour", 1))
    assert any("72 ppi" in m for m in on("image-resolution", 2))
    assert any(f.check == "pdfx" and "OutputIntents" in f.message for f in report.findings)
    assert all(f.severity == "error" for f in report.findings)
    assert {f.check for f in report.findings} <= set(CHECKS)


def test_bad_pdf_page_details(bad_pdf):
    page1, page2 = preflight(bad_pdf).pages
    assert page1.text_colours == {"DeviceRGB": 1, "DeviceCMYK": 1}
    assert page1.rich_black_text == 1
    assert page1.trim_box is None and page1.trim_source == "MediaBox"
    (photo,) = page2.images
    assert (photo.width_px, photo.height_px) == (144, 96)
    assert photo.ppi == pytest.approx(72, abs=0.01)
    assert photo.placed_mm == pytest.approx((50.8, 16.933), abs=0.01)
    assert photo.colour_space == "DeviceRGB" and photo.ink_max is None
    fonts = {f.name: f for f in page2.fonts}
    assert fonts["Times-Roman"].used is False
    assert fonts["Courier"].used is True and fonts["Courier"].embedded is False


def test_require_pdfx_off_skips_pdfx_and_softens_boxes(bad_pdf):
    report = preflight(bad_pdf, require_pdfx=False)
    assert "pdfx" not in _pages(report)
    assert {f.severity for f in report.findings if f.check == "boxes"} == {"warning"}


@pytest.fixture(scope="module")
def nested_pdf(tmp_path_factory) -> Path:
    """Written with pikepdf alone (another producer): a form inside a form.

    The outer form scales by ½ through its /Matrix; the inner form carries the
    only font (ZapfDingbats, not embedded) in its own resources and places a
    300 × 300 px gray image with a soft mask at 144 pt → 72 pt on the page →
    300 ppi. The text in the inner form inherits an RGB fill from the page.
    The page declares a transparency group.
    """
    path = tmp_path_factory.mktemp("nested") / "nested.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=BROADSHEET)
    page = pdf.pages[0]
    mask = pdf.make_stream(
        bytes(300 * 300),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=300,
        Height=300,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
    )
    image = pdf.make_stream(
        bytes(300 * 300),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=300,
        Height=300,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
        SMask=mask,
    )
    dingbats = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.ZapfDingbats
        )
    )
    inner = pdf.make_stream(
        b"BT /FZ 12 Tf 0 0 Td (a) Tj ET q 144 0 0 144 0 0 cm /Im Do Q",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 200, 200],
        Resources=pikepdf.Dictionary(
            Font=pikepdf.Dictionary(FZ=dingbats), XObject=pikepdf.Dictionary(Im=image)
        ),
    )
    outer = pdf.make_stream(
        b"/In Do",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 200, 200],
        Matrix=[0.5, 0, 0, 0.5, 0, 0],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(In=inner)),
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Out=outer))
    # The forms set no colour: the text inherits the RGB red set here.
    page.Contents = pdf.make_stream(b"q 1 0 0 rg 1 0 0 1 100 100 cm /Out Do Q")
    page.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency)
    pdf.save(path)
    return path


def test_nested_forms_fonts_matrix_and_soft_mask(nested_pdf):
    report = preflight(nested_pdf, require_pdfx=False)
    (page,) = report.pages
    (font,) = page.fonts
    assert (font.name, font.embedded, font.used) == ("ZapfDingbats", False, True)
    (image,) = page.images
    assert image.ppi == pytest.approx(300)
    assert image.placed_mm == pytest.approx((25.4, 25.4))
    assert image.soft_mask
    transparency = [f.message for f in report.findings if f.check == "transparency"]
    assert len(transparency) == 2
    assert any("page transparency group" in m for m in transparency)
    assert any("soft mask" in m for m in transparency)
    assert page.text_colours == {"DeviceRGB": 1}
    assert _pages(report) == {
        "boxes": {1},
        "fonts-embedded": {1},
        "transparency": {1},
        "text-colour": {1},
    }


@pytest.fixture(scope="module")
def cid_pdf(tmp_path_factory) -> Path:
    """ReportLab's UnicodeCIDFont: a Type0 font whose CIDFont is never embedded
    (reference §5, implementation notes)."""
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    path = tmp_path_factory.mktemp("cid") / "cid.pdf"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=BROADSHEET, invariant=1, initialFontName="STSong-Light")
    c.drawString(100, 1400, "中文排版")
    c.showPage()
    c.save()
    return path


def test_cid_font_in_type0_is_not_embedded(cid_pdf):
    report = preflight(cid_pdf, require_pdfx=False)
    (font,) = report.pages[0].fonts
    assert (font.name, font.type, font.embedded) == ("STSong-Light", "Type0/CIDFontType0", False)
    (finding,) = [f for f in report.findings if f.check == "fonts-embedded"]
    assert finding.page == 1 and "STSong-Light" in finding.message


def test_placement_follows_ctm_order(tmp_path):
    """cm concatenates on the left: scale then rotate ≠ rotate then scale.

    Written with pikepdf because ReportLab folds consecutive transforms into
    one cm, which would hide a wrongly ordered product.
    """
    path = tmp_path / "rotated.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=BROADSHEET)
    page = pdf.pages[0]
    image = pdf.make_stream(
        bytes(300 * 600),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=300,
        Height=600,
        ColorSpace=pikepdf.Name.DeviceGray,
        BitsPerComponent=8,
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im=image))
    # Scale x by 2, then rotate 90°, then a 72 × 72 unit box: the image's x
    # axis stays 72 pt long and its y axis becomes 144 pt → 300 ppi both ways
    # (150 ppi if the matrices were multiplied the wrong way round).
    page.Contents = pdf.make_stream(
        b"q 1 0 0 1 400 400 cm 2 0 0 1 0 0 cm 0 1 -1 0 0 0 cm 72 0 0 72 0 0 cm /Im Do Q"
    )
    pdf.save(path)
    (image_info,) = preflight(path).pages[0].images
    assert image_info.placed_mm == pytest.approx((25.4, 50.8))
    assert image_info.ppi == pytest.approx(300)


# ------------------------------------------------------------------ (2) good PDF


def test_good_pdf_has_no_findings(good_pdf):
    report = preflight(good_pdf, trim_mm=(390, 550))
    assert report.findings == (), format_table(report)
    assert report.ok
    (page,) = report.pages
    assert page.trim_mm == pytest.approx((390, 550), abs=0.01)
    assert page.trim_source == "TrimBox"
    assert all(f.embedded and f.subset for f in page.fonts)
    assert page.text_colours == {"DeviceCMYK": 40} and page.rich_black_text == 0
    (photo,) = page.images
    assert photo.colour_space == "DeviceCMYK"
    assert photo.ppi == pytest.approx(300, abs=0.01)
    assert photo.ink_max == pytest.approx((153 + 102 + 102 + 230) / 2.55)
    assert report.pdfx.output_condition_identifier == "ISOnewspaper26v4"
    assert report.pdfx.version == "PDF/X-1a:2001" and report.pdfx.trapped == "False"


def test_good_pdf_fails_on_other_trim_and_higher_ppi(good_pdf):
    report = preflight(good_pdf, trim_mm=(275, 390), min_ppi=350)
    assert _pages(report) == {"trim-size": {1}, "image-resolution": {1}}


def test_ink_limit_uses_995th_percentile(tmp_path):
    """A solid 300 % area fails; a few stray 400 % pixels (JPEG noise) do not."""
    path = tmp_path / "ink.pdf"
    c = _good_canvas(path)
    heavy = Image.new("CMYK", (300, 300), (255, 191, 64, 255))  # 300 %
    speckled = Image.new("CMYK", (300, 300), (0, 0, 0, 128))
    for i in range(100):  # 100 of 90 000 pixels = 0.11 % at 400 %
        speckled.putpixel((i, i), (255, 255, 255, 255))
    c.drawImage(ImageReader(heavy), 60, 600, width=72, height=72)
    c.drawImage(ImageReader(speckled), 200, 600, width=72, height=72)
    c.showPage()
    c.save()
    _add_pdfx(path)

    report = preflight(path)
    ink = [f for f in report.findings if f.check == "image-ink"]
    assert len(ink) == 1 and "300 %" in ink[0].message, format_table(report)
    heavy_info, speckled_info = report.pages[0].images
    assert heavy_info.ink_p995 == pytest.approx(300, abs=0.5)
    assert speckled_info.ink_max == pytest.approx(400)
    assert speckled_info.ink_p995 == pytest.approx(50.2, abs=0.1)
    assert preflight(path, ink_limit=310).findings == ()


def test_transparency_rgb_rules_and_inline_images(tmp_path):
    path = tmp_path / "transparent.pdf"
    c = _good_canvas(path)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFillAlpha(0.5)  # ExtGState /ca 0.5
    c.rect(60, 600, 100, 100, fill=1, stroke=0)
    c.setFillAlpha(1)
    c.setStrokeColorRGB(0, 0, 1)
    c.line(60, 500, 400, 500)
    # 30 × 30 px inline CMYK image at 0.5 in → 60 ppi.
    c.drawInlineImage(Image.new("CMYK", (30, 30), (0, 0, 0, 255)), 60, 300, 36, 36)
    c.showPage()
    c.save()
    _add_pdfx(path)

    report = preflight(path)
    fired = _pages(report)
    assert fired == {"transparency": {1}, "vector-colour": {1}, "image-resolution": {1}}
    assert any("opacity ca 0.5" in f.message for f in report.findings)
    assert any("inline" in f.message and "60 ppi" in f.message for f in report.findings)


def test_not_a_pdf_raises(tmp_path):
    path = tmp_path / "nope.pdf"
    path.write_text("not a pdf")
    with pytest.raises(PreflightError):
        preflight(path)


# ------------------------------------------------------------------ (3) pdffonts


def _pdffonts(path: Path) -> dict[int, tuple[bool, bool]]:
    """object number → (embedded, subset) as poppler sees it."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    result = {}
    for line in out.splitlines()[2:]:  # two header lines
        # name / type / encoding may contain spaces: parse from the right.
        match = re.search(r"(yes|no)\s+(yes|no)\s+(yes|no)\s+(\d+)\s+(\d+)\s*$", line)
        assert match, f"unexpected pdffonts line: {line!r}"
        result[int(match.group(4))] = (match.group(1) == "yes", match.group(2) == "yes")
    return result


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler pdffonts not installed")
@pytest.mark.parametrize("which", ["bad_pdf", "good_pdf", "nested_pdf", "cid_pdf"])
def test_fonts_agree_with_pdffonts(which, request):
    path = request.getfixturevalue(which)
    ours = {
        font.obj: (font.embedded, font.subset)
        for page in preflight(path).pages
        for font in page.fonts
    }
    theirs = _pdffonts(path)
    assert theirs, "pdffonts found no fonts"
    assert ours == theirs


# ------------------------------------------------------------------ (4) parse_trim


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("390x550mm", (390, 550)),
        ("390×550 mm", (390, 550)),
        ("390 X 550", (390, 550)),
        ("39x55cm", (390, 550)),
        ("1105.5x1559.1pt", (1105.5 / MM, 1559.1 / MM)),
        ("8.5x11in", (215.9, 279.4)),
        (" 275.5*390mm ", (275.5, 390)),
    ],
)
def test_parse_trim(spec, expected):
    assert parse_trim(spec) == pytest.approx(expected)


@pytest.mark.parametrize("spec", ["390mm", "390x", "x550", "390x550km", "0x550mm", "a x b", ""])
def test_parse_trim_rejects(spec):
    with pytest.raises(ValueError):
        parse_trim(spec)


# ------------------------------------------------------------------ (5) JSON


def test_json_report_round_trips(bad_pdf):
    report = preflight(bad_pdf, trim_mm=(390, 550))
    data = report.to_json()
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["schema"] == "paiban-preflight/1"
    assert data["ok"] is False
    assert data["errors"] == len(report.findings)
    assert data["settings"] == {
        "trim_mm": [390, 550],
        "min_ppi": 200,
        "ink_limit": 240,
        "require_pdfx": True,
    }
    assert [p["number"] for p in data["pages"]] == [1, 2]
    page2 = data["pages"][1]
    assert {
        "media_box",
        "trim_box",
        "bleed_box",
        "trim_mm",
        "fonts",
        "images",
        "text_colours",
        "rich_black_text",
        "vector_colours",
    } <= set(page2)
    assert page2["images"][0]["ppi"] == 72.0
    assert {"check", "severity", "page", "message"} == set(data["findings"][0])
    assert data["pdfx"]["output_intent"] is False


def test_table_lists_pages_fonts_images_and_findings(bad_pdf):
    table = format_table(preflight(bad_pdf, trim_mm=(390, 550)))
    assert "Page 1" in table and "Page 2" in table
    assert re.search(r"Helvetica\s+Type1\s+NO", table)
    assert re.search(r"144×96\s+50\.8×16\.9\s+72\s+DeviceRGB", table)
    assert "ERROR   image-resolution p2" in table
    assert table.rstrip().endswith("error(s), 0 warning(s))")
    assert "Result: FAIL" in table


# ------------------------------------------------------------------ speed


def test_newspaper_page_preflights_fast(tmp_path):
    """~7000 characters in 540 lines, one per Tj: well under a second."""
    path = tmp_path / "page.pdf"
    c = _good_canvas(path)
    c.setFillColorCMYK(0, 0, 0, 1)
    for column in range(8):
        for line in range(68):
            c.drawString(40 + column * 130, 1500 - line * 13.5, "Newsprint body 13")
    c.showPage()
    c.save()
    _add_pdfx(path)

    start = time.perf_counter()
    report = preflight(path, trim_mm=(390, 550))
    elapsed = time.perf_counter() - start
    assert report.pages[0].text_colours == {"DeviceCMYK": 8 * 68}
    assert report.ok
    assert elapsed < 1.0, f"preflight took {elapsed:.3f} s"


def test_duplicate_subset_tags_are_reported(tmp_path):
    """Two documents joined page by page (the way paiban's edition once was): ReportLab
    tags the first subset of every document AAAAAA, so the joined file has two different
    subsets under one tag (ISO 32000-1 §9.6.4)."""
    font = _register_font()
    parts = []
    for index, text in enumerate(("ABC", "XYZ")):
        part = tmp_path / f"part{index}.pdf"
        c = _good_canvas(part)
        c.setFont(font, 12)
        c.drawString(100, 100, text)
        c.showPage()
        c.save()
        parts.append(part)
    joined = tmp_path / "joined.pdf"
    with pikepdf.new() as pdf:
        sources = [pikepdf.open(part) for part in parts]
        for source in sources:
            pdf.pages.extend(source.pages)
        pdf.save(joined)
        for source in sources:
            source.close()
    report = preflight(joined, require_pdfx=False)
    tags = [f for f in report.findings if f.check == "font-tags"]
    assert len(tags) == 1 and tags[0].page is None, report.findings
    assert "AAAAAA" in tags[0].message
    # Each part alone has one subset per tag.
    assert not [f for f in preflight(parts[0], require_pdfx=False).findings
                if f.check == "font-tags"]
