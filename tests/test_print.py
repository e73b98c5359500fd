"""Print-ready output (reference §5, R39–R45): what a printing plant's preflight checks.

The sample edition is built with the shipped broadsheet style (PDF/X-1a:2001, no bleed),
with a copy that adds 3 mm bleed and marks, and — where this machine has a CMYK ICC
profile — with a copy that names it (PDF/X-4). The PDFs are read back with pikepdf
and paiban's own preflight, and rendered with Ghostscript where it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, SAMPLE
from PIL import Image, ImageCms

from layout.diagnostics import InputError
from layout.imaging import cmyk_photo
from layout.model.load import load_style
from layout.pipeline import compose_edition, render_edition
from layout.preflight import preflight
from layout.render.pdf import page_margin
from layout.units import mm

TRIM = (390, 550)
TOL = 0.01          # pt
BROADSHEET = ROOT / "styles" / "broadsheet.yaml"


# ----------------------------------------------------------------------------- helpers

def _pdfs(build) -> list[Path]:
    return [*build.page_files.values(), build.edition_file]


def _edition_with_style(tmp_path: Path, style_text: str) -> Path:
    """The sample edition beside a copy of its photos, set with the given style file."""
    (tmp_path / "style.yaml").write_text(style_text, encoding="utf-8")
    text = SAMPLE.read_text(encoding="utf-8")
    lines = [("style: style.yaml" if line.startswith("style:") else line)
             for line in text.splitlines()]
    edition = tmp_path / "edition.yaml"
    edition.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "photos", tmp_path / "photos")
    return edition


def _style_with(replacements: dict[str, str]) -> str:
    text = BROADSHEET.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _build(tmp_path: Path, style_text: str):
    build = compose_edition(_edition_with_style(tmp_path, style_text))
    render_edition(build, tmp_path / "out")
    return build


def _box(page: pikepdf.Page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page.obj[name])


def _mul(a: tuple, b: tuple) -> tuple:
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _paint(page: pikepdf.Page):
    """(kind, state, points) for every painting operator of the page's content.

    A small graphics-state machine: q/Q, cm, colours, the overprint keys of ExtGStates,
    line width, font size and the current path's points in default user space.
    """
    ext = page.Resources.get("/ExtGState", pikepdf.Dictionary())
    state = {"fill": None, "stroke": None, "op": False, "OP": False, "OPM": 0, "w": 1.0,
             "size": None, "ctm": (1, 0, 0, 1, 0, 0), "fill_cs": "/DeviceGray",
             "stroke_cs": "/DeviceGray"}
    stack: list[dict] = []
    points: list[tuple[float, float]] = []

    def point(x, y):
        a, b, c, d, e, f = state["ctm"]
        points.append((a * x + c * y + e, b * x + d * y + f))

    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        values = [float(v) for v in operands if isinstance(v, (int, float, Decimal))]
        if op == "q":
            stack.append(dict(state))
        elif op == "Q":
            state = stack.pop()
        elif op == "cm":
            state["ctm"] = _mul(tuple(values), state["ctm"])
        elif op == "k":
            state["fill"], state["fill_cs"] = tuple(values), "/DeviceCMYK"
        elif op == "K":
            state["stroke"], state["stroke_cs"] = tuple(values), "/DeviceCMYK"
        elif op in ("g", "rg"):
            state["fill"], state["fill_cs"] = tuple(values), {"g": "/DeviceGray",
                                                              "rg": "/DeviceRGB"}[op]
        elif op in ("G", "RG"):
            state["stroke"], state["stroke_cs"] = tuple(values), {"G": "/DeviceGray",
                                                                  "RG": "/DeviceRGB"}[op]
        elif op == "cs":
            state["fill_cs"] = str(operands[0])
        elif op == "CS":
            state["stroke_cs"] = str(operands[0])
        elif op in ("sc", "scn"):
            state["fill"] = tuple(values)
        elif op in ("SC", "SCN"):
            state["stroke"] = tuple(values)
        elif op == "gs":
            entry = ext[str(operands[0])]
            if "/OP" in entry:
                state["OP"] = bool(entry.OP)
                if "/op" not in entry:
                    state["op"] = bool(entry.OP)
            if "/op" in entry:
                state["op"] = bool(entry.op)
            if "/OPM" in entry:
                state["OPM"] = int(entry.OPM)
        elif op == "w":
            state["w"] = values[0]
        elif op == "Tf":
            state["size"] = float(operands[1])
        elif op == "m" or op == "l":
            point(*values)
        elif op == "c":
            point(*values[0:2])
            point(*values[2:4])
            point(*values[4:6])
        elif op == "re":
            x, y, w, h = values
            point(x, y)
            point(x + w, y + h)
        elif op in ("Tj", "TJ", "'", '"'):
            yield "text", dict(state), []
        elif op in ("S", "s"):
            yield "stroke", dict(state), points
            points = []
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            yield "fill", dict(state), points
            points = []
        elif op == "n":
            points = []
        elif op == "Do":
            yield "image", dict(state), []


def _cmyk_profile() -> Path | None:
    """A CMYK output (printer-class) ICC profile installed on this machine, if any."""
    roots = [Path("/usr/share/color/icc"), Path("/usr/local/share/color/icc"),
             Path.home() / ".local/share/icc", Path("/usr/share/ghostscript"),
             Path("/Library/ColorSync/Profiles")]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in (".icc", ".icm") or not path.is_file():
                continue
            header = path.read_bytes()[:128]
            if len(header) == 128 and header[36:40] == b"acsp" and header[16:20] == b"CMYK" \
                    and header[12:16] == b"prtr":
                try:
                    ImageCms.buildTransform(ImageCms.createProfile("sRGB"), str(path),
                                            "RGB", "CMYK")
                except (ImageCms.PyCMSError, OSError):
                    continue
                return path
    return None


def _ink(path: Path) -> list[float]:
    """Total ink (C+M+Y+K, percent) of every pixel of a CMYK image, sorted."""
    with Image.open(path) as image:
        assert image.mode == "CMYK"
        raw = image.tobytes()
    return sorted(sum(raw[i:i + 4]) * 100 / 255 for i in range(0, len(raw), 4))


def _percentile(values: list[float], percent: float) -> float:
    return values[min(len(values) - 1, int(len(values) * percent / 100))]


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def marks_build(tmp_path_factory):
    """The sample with 3 mm bleed and crop/registration marks."""
    style = _style_with({"  bleed: 0mm": "  bleed: 3mm", "  marks: false": "  marks: true"})
    return _build(tmp_path_factory.mktemp("marks"), style)


@pytest.fixture(scope="module")
def icc_build(tmp_path_factory):
    profile = _cmyk_profile()
    if profile is None:
        pytest.skip("no CMYK ICC output profile on this machine (e.g. Ghostscript's or "
                    "a plant's profile)")
    text = BROADSHEET.read_text(encoding="utf-8").split("\nprint:", 1)[0]
    style = text + f"\nprint:\n  icc_profile: {profile}\n  ink_limit: 240\n"
    return _build(tmp_path_factory.mktemp("icc"), style), profile


# ----------------------------------------------------------------------------- preflight

def test_R45_sample_edition_passes_preflight_with_zero_findings(sample_pdf):
    for path in _pdfs(sample_pdf):
        report = preflight(path, trim_mm=TRIM)
        assert report.findings == (), (path.name, [f.message for f in report.findings])
        assert report.pdfx.version == "PDF/X-1:2001"
        assert report.pdfx.conformance == "PDF/X-1a:2001"
        assert report.pdfx.output_condition_identifier == "IFRA26"
        assert report.pdfx.trapped == "False"


def test_preflight_command_exits_0_on_the_sample(sample_pdf):
    result = subprocess.run(
        [sys.executable, "-m", "layout", "preflight", *map(str, _pdfs(sample_pdf)),
         "--trim", "390x550mm"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Result: PASS (0 error(s), 0 warning(s))" in result.stdout


def test_R45_bleed_and_marks_variant_passes_preflight(marks_build):
    for path in _pdfs(marks_build):
        report = preflight(path, trim_mm=TRIM)
        assert report.findings == (), [f.message for f in report.findings]


# ----------------------------------------------------------------------------- determinism

def test_two_builds_give_byte_identical_pdfs(sample_pdf, tmp_path, monkeypatch):
    # Another folder, and another photo cache: the photo is converted again.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    again = compose_edition(SAMPLE)
    assert list((tmp_path / "cache").rglob("photos/*.jpg"))
    render_edition(again, tmp_path / "again")
    assert again.edition_file.parent != sample_pdf.edition_file.parent
    for first, second in zip(_pdfs(sample_pdf), _pdfs(again)):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes(), first.name
    # The document ID is derived from the content, not from the time or a random number.
    with pikepdf.open(sample_pdf.edition_file) as pdf:
        ids = [bytes(v) for v in pdf.trailer.ID]
    assert len(ids) == 2 and ids[0] and ids[0] == ids[1]
    assert not list(tmp_path.joinpath("again").glob(".*.tmp")), "temporary files left behind"


# ----------------------------------------------------------------------------- boxes, marks

def test_R44_trim_box_is_the_trim_and_bleed_box_equals_it_without_bleed(sample_pdf):
    for path in _pdfs(sample_pdf):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                trim = _box(page, "/TrimBox")
                assert trim == pytest.approx((0, 0, mm(390), mm(550)), abs=TOL)
                assert _box(page, "/BleedBox") == trim
                assert _box(page, "/MediaBox") == trim


def test_R44_bleed_box_is_trim_plus_bleed_and_marks_lie_outside(marks_build):
    press = marks_build.pages[0].press
    assert press.bleed == pytest.approx(mm(3)) and press.marks
    margin = page_margin(press)
    with pikepdf.open(marks_build.page_files[5]) as pdf:
        page = pdf.pages[0]
        x0, y0, x1, y1 = _box(page, "/TrimBox")
        assert (x1 - x0, y1 - y0) == pytest.approx((mm(390), mm(550)), abs=TOL)
        assert (x0, y0) == pytest.approx((margin, margin), abs=TOL)
        bleed = _box(page, "/BleedBox")
        assert bleed == pytest.approx((x0 - mm(3), y0 - mm(3), x1 + mm(3), y1 + mm(3)), abs=TOL)
        media = _box(page, "/MediaBox")
        assert media == pytest.approx((0, 0, x1 + margin, y1 + margin), abs=TOL)
        marks = [(state, pts) for kind, state, pts in _paint(page)
                 if kind == "stroke" and state["stroke_cs"] != "/DeviceCMYK"]
        spaces = list(page.Resources.ColorSpace.values())
        assert any(cs[0] == pikepdf.Name.Separation and cs[1] == pikepdf.Name("/All")
                   for cs in spaces), spaces
        texts = [s for kind, s, _ in _paint(page) if kind == "text"]
    # 8 crop-mark lines and 4 registration targets (circle + cross).
    assert len(marks) >= 8 + 4 * 3
    for state, points in marks:
        assert state["stroke_cs"] == "/All" and state["stroke"] == (1.0,)
        for x, y in points:
            inside_bleed = bleed[0] + TOL < x < bleed[2] - TOL and \
                bleed[1] + TOL < y < bleed[3] - TOL
            assert not inside_bleed, (x, y)
            assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
    # The page's content moved with the trim.
    assert texts and all(s["ctm"][4:] == pytest.approx((x0, y0)) for s in texts)


# ----------------------------------------------------------------------------- colour

_NOT_CMYK = ("/DeviceRGB", "/CalRGB", "/Lab", "/Indexed")


def test_R40_no_rgb_anywhere(sample_pdf, marks_build):
    for path in _pdfs(sample_pdf) + _pdfs(marks_build):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                text = repr(obj) if isinstance(obj, (pikepdf.Dictionary, pikepdf.Array)) \
                    else repr(obj.stream_dict) if isinstance(obj, pikepdf.Stream) else ""
                assert not any(name in text for name in _NOT_CMYK), (path.name, text[:200])
            for page in pdf.pages:
                kinds = {(s["fill_cs"], s["stroke_cs"]) for _, s, _ in _paint(page)}
                assert all(cs in ("/DeviceCMYK", "/DeviceGray", "/All")
                           for pair in kinds for cs in pair), kinds
                images = [x for x in page.Resources.XObject.values()
                          if x.get("/Subtype") == pikepdf.Name.Image]
                assert images and all(x.ColorSpace == pikepdf.Name.DeviceCMYK for x in images)


def test_R41_text_is_filled_with_k_only(sample_pdf):
    with pikepdf.open(sample_pdf.page_files[5]) as pdf:
        fills = [s["fill"] for kind, s, _ in _paint(pdf.pages[0]) if kind == "text"]
    assert fills
    # Black text is exactly 0 0 0 1 k (never rich black); reversed text (a rubric's label on
    # a black panel) is paper white, 0 0 0 0 k.
    assert set(fills) <= {(0.0, 0.0, 0.0, 1.0), (0.0, 0.0, 0.0, 0.0)}, set(fills)
    assert fills.count((0.0, 0.0, 0.0, 1.0)) > 0.95 * len(fills)


def test_small_black_text_and_thin_black_rules_overprint(sample_pdf):
    press = sample_pdf.pages[0].press
    assert press.overprint_text == 12 and press.overprint_rule == 2
    with pikepdf.open(sample_pdf.page_files[5]) as pdf:
        painted = list(_paint(pdf.pages[0]))
    texts = [s for kind, s, _ in painted if kind == "text"]
    small_black = [s for s in texts if s["fill"] == (0, 0, 0, 1) and s["size"] <= 12]
    large = [s for s in texts if s["size"] > 12]
    white = [s for s in texts if s["fill"] == (0, 0, 0, 0)]
    assert small_black and large and white
    assert all(s["op"] and s["OPM"] == 1 for s in small_black)
    assert not any(s["op"] for s in large + white)
    rules = [s for kind, s, _ in painted if kind == "stroke"]
    assert rules and all(s["OP"] and s["OPM"] == 1 for s in rules
                         if s["stroke"] == (0, 0, 0, 1) and s["w"] <= 2)
    fills = [s for kind, s, _ in painted if kind in ("fill", "image")]
    assert fills and not any(s["op"] for s in fills), "panels and photos knock out"


def test_R42_photo_is_cmyk_with_ink_within_the_limit(sample_pdf):
    report = preflight(sample_pdf.page_files[5], trim_mm=TRIM)
    images = report.pages[0].images
    assert len(images) == 1
    image = images[0]
    assert image.colour_space == "DeviceCMYK"
    assert image.ink_p995 is not None and image.ink_p995 <= 240
    assert image.ppi >= 200


def test_cmyk_photo_limits_ink_of_dark_saturated_colours(tmp_path):
    # Every hue at full saturation from black to full value, plus a black band.
    hsv = Image.merge("HSV", (Image.linear_gradient("L").rotate(90).resize((128, 128)),
                              Image.new("L", (128, 128), 255),
                              Image.linear_gradient("L").resize((128, 128))))
    rgb = hsv.convert("RGB")
    rgb.paste((0, 0, 0), (0, 0, 128, 16))
    source = tmp_path / "saturated.png"
    rgb.save(source)
    for limit in (240, 200):
        ink = _ink(cmyk_photo(source, limit))
        assert _percentile(ink, 99.5) <= limit, limit
        assert ink[-1] <= limit + 5, limit


def test_cmyk_photo_greyscale_is_black_only_and_cached(tmp_path):
    source = tmp_path / "grey.png"
    Image.linear_gradient("L").resize((64, 64)).save(source)
    first = cmyk_photo(source, 240)
    assert cmyk_photo(source, 240) == first
    assert cmyk_photo(source, 220) != first
    with Image.open(first) as image:
        c, m, y, k = (band.getextrema()[1] for band in image.split())
        assert c <= 2 and m <= 2 and y <= 2
        assert k > 200


def test_cmyk_photo_reduces_ink_of_a_cmyk_source(tmp_path):
    source = tmp_path / "heavy.jpg"
    Image.new("CMYK", (32, 32), (250, 240, 230, 220)).save(source, quality=95)
    ink = _ink(cmyk_photo(source, 240))
    assert _percentile(ink, 99.5) <= 240
    with Image.open(cmyk_photo(source, 240)) as image:
        assert abs(image.getpixel((8, 8))[3] - 220) <= 3, "black is kept"


def test_sample_photo_is_the_converted_cmyk_file(sample_build):
    from layout.display import Image as PlacedImage

    images = [i for page in sample_build.pages for i in page.items
              if isinstance(i, PlacedImage)]
    assert len(images) == 1
    with Image.open(images[0].path) as image:
        assert image.mode == "CMYK" and image.format == "JPEG"
    with Image.open(SAMPLE.parent / "photos" / "robot-standin.jpg") as source:
        assert source.mode == "RGB"


# ----------------------------------------------------------------------------- fonts

def test_R39_fonts_embedded_and_subset(sample_pdf):
    report = preflight(sample_pdf.edition_file, trim_mm=TRIM)
    fonts = [f for page in report.pages for f in page.fonts]
    assert fonts and all(f.embedded and f.subset for f in fonts)


# ----------------------------------------------------------------------------- Ghostscript

@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) is not installed")
def test_ghostscript_renders_every_page(sample_pdf, marks_build):
    for path in _pdfs(sample_pdf) + _pdfs(marks_build):
        result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                                 "-sDEVICE=nullpage", str(path)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (path.name, result.stderr)
        assert result.stderr == "", (path.name, result.stderr)


# ----------------------------------------------------------------------------- ICC, PDF/X-4

def test_icc_profile_gives_pdfx4_with_the_profile_embedded(icc_build):
    build, profile = icc_build
    for path in _pdfs(build):
        report = preflight(path, trim_mm=TRIM)
        assert report.findings == (), [f.message for f in report.findings]
        assert report.pdfx.version == "PDF/X-4"
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version == "1.6"
            intent = pdf.Root.OutputIntents[0]
            assert intent.S == pikepdf.Name.GTS_PDFX
            assert intent.DestOutputProfile.read_bytes() == profile.read_bytes()
            assert int(intent.DestOutputProfile.N) == 4
            assert str(intent.OutputConditionIdentifier) == "Custom"
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
            assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
            assert "xmpMM:DocumentID" in xmp
    if shutil.which("gs"):
        result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                                 "-sDEVICE=nullpage", str(build.edition_file)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and result.stderr == "", result.stderr


# ----------------------------------------------------------------------------- style file

def test_shipped_styles_set_the_print_section_explicitly():
    for name in ("broadsheet", "tabloid"):
        path = ROOT / "styles" / f"{name}.yaml"
        assert "\nprint:\n" in path.read_text(encoding="utf-8")
        settings = load_style(path).print
        assert settings.bleed == 0 and not settings.marks and settings.ink_limit == 240
        assert settings.pdfx == "PDF/X-1a:2001" and settings.icc_profile is None
        assert settings.output_condition_identifier == "IFRA26"
        assert settings.registry_name == "http://www.color.org"


def _print_errors(tmp_path: Path, section: str) -> list:
    text = BROADSHEET.read_text(encoding="utf-8").split("\nprint:", 1)[0]
    path = tmp_path / "style.yaml"
    path.write_text(text + "\nprint:\n" + section, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_style(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(d.field, d.line, lines[d.line - 1] if d.line else None, d.message)
            for d in caught.value.diagnostics]


@pytest.mark.parametrize(("section", "field", "needle"), [
    ("  bleeding: 3mm\n", "print.bleeding", "unknown key 'bleeding'"),
    ("  bleed: lots\n", "print.bleed", "expected a length"),
    ("  marks: maybe\n", "print.marks", "expected true or false"),
    ("  ink_limit: 500\n", "print.ink_limit", "from 100 to 400"),
    ("  ink_limit: much\n", "print.ink_limit", "expected a number"),
    ("  pdfx: PDF/X-3\n", "print.pdfx", "expected one of PDF/X-1a:2001, PDF/X-4"),
    ("  pdfx: PDF/X-4\n", "print.pdfx", "set print.icc_profile"),
    ("  icc_profile: missing.icc\n", "print.icc_profile", "not found"),
    ("  overprint_black_max_size: [12]\n", "print.overprint_black_max_size",
     "expected a single value"),
])
def test_bad_print_settings_name_file_line_and_field(tmp_path, section, field, needle):
    errors = _print_errors(tmp_path, section)
    assert len(errors) == 1, errors
    got_field, line, text, message = errors[0]
    assert got_field == field and needle in message, errors[0]
    assert text is not None and text.strip() == section.strip(), errors[0]


def test_an_rgb_profile_is_refused(tmp_path):
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    errors = _print_errors(tmp_path, f"  icc_profile: {rgb}\n")
    assert len(errors) == 1 and errors[0][0] == "print.icc_profile"
    assert "expected a CMYK output profile" in errors[0][3]
