"""The preflight report as a table for the terminal."""

from __future__ import annotations

from layout.preflight.model import PT_PER_MM, PageInfo, PreflightReport


def _fmt_box(box: tuple | None) -> str:
    if box is None:
        return "—"
    return " ".join(f"{v:.2f}" for v in box) + (
        f"  ({(box[2] - box[0]) / PT_PER_MM:.1f} × {(box[3] - box[1]) / PT_PER_MM:.1f} mm)"
    )


def _fmt_opt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _page_table(page: PageInfo) -> list[str]:
    trim = page.trim_mm
    lines = [
        f"Page {page.number}"
        + (f"  trim {trim[0]:.1f} × {trim[1]:.1f} mm ({page.trim_source})" if trim else ""),
        f"  MediaBox  {_fmt_box(page.media_box)}",
        f"  TrimBox   {_fmt_box(page.trim_box)}",
        f"  BleedBox  {_fmt_box(page.bleed_box)}",
    ]
    if page.rotate:
        lines.append(f"  Rotate    {page.rotate}")
    lines.append(f"  Fonts ({len(page.fonts)})")
    if page.fonts:
        lines.append(f"    {'name':<40} {'type':<20} {'emb':<4} {'sub':<4} used")
        lines += [
            f"    {f.name:<40} {f.type:<20} {_yes(f.embedded):<4} "
            f"{'yes' if f.subset else 'no':<4} {'yes' if f.used else 'no'}"
            for f in page.fonts
        ]
    lines.append(f"  Images ({len(page.images)})")
    if page.images:
        lines.append(
            f"    {'name':<24} {'pixels':<11} {'placed mm':<15} {'ppi':>5}  "
            f"{'colour':<20} {'ink max/p99.5 %':<15}"
        )
        for i in page.images:
            ink = "—" if i.ink_max is None else f"{i.ink_max:.0f}/{i.ink_p995:.0f}"
            lines.append(
                f"    {i.name[:24]:<24} {f'{i.width_px}×{i.height_px}':<11} "
                f"{f'{i.placed_mm[0]:.1f}×{i.placed_mm[1]:.1f}':<15} "
                f"{_fmt_opt(i.ppi, '.0f'):>5}  {i.colour_space:<20} {ink:<15}"
            )
    text = ", ".join(f"{k} {v}" for k, v in sorted(page.text_colours.items())) or "none"
    if page.rich_black_text:
        text += f" (rich black {page.rich_black_text})"
    lines.append(f"  Text colour    {text}")
    vector = ", ".join(f"{k} {v}" for k, v in sorted(page.vector_colours.items())) or "none"
    lines.append(f"  Vector colour  {vector}")
    return lines


def format_table(report: PreflightReport) -> str:
    """Human-readable report: a block per page, then the findings."""
    x = report.pdfx
    lines = [
        f"Preflight {report.path}",
        f"  PDF {x.pdf_version}  PDF/X {x.version or '—'}"
        + (f" ({x.conformance})" if x.conformance else "")
        + f"  output intent {x.output_condition_identifier or ('yes' if x.output_intent else '—')}"
        + f"  Trapped {x.trapped or '—'}",
        "",
    ]
    for page in report.pages:
        lines += _page_table(page) + [""]
    lines.append(f"Findings ({len(report.findings)})")
    for f in report.findings:
        where = f"p{f.page}" if f.page is not None else "doc"
        lines.append(f"  {f.severity.upper():<7} {f.check:<16} {where:<5} {f.message}")
    verdict = "PASS" if report.ok else "FAIL"
    lines.append(
        f"Result: {verdict} ({len(report.errors)} error(s), {len(report.warnings)} warning(s))"
    )
    return "\n".join(lines)
