"""The copy out (R2): each story's text exactly as set, for reading against the copy.

Fields come in the order of the page (rubric, headline stack, dateline, body, photo
texts); the body is one paragraph per line as set after normalisation, the text that
did not fit follows under its own heading, and the marks that normalisation changed
are listed with their place in the copy, so the proofreader can check each one. The
Word document (python-docx, the only module that imports it) carries the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from layout.proof.text import FIELD_ORDER, Story

LABELS = {"rubric": "栏目", "kicker": "引题", "headline": "主题", "subhead": "副题",
          "byline": "电头", "body": "正文", "photo_title": "图片标题", "caption": "图片说明",
          "credit": "摄影", "overset": "超版 — not on the page"}


@dataclass(frozen=True, slots=True)
class Section:
    field: str
    label: str
    paragraphs: tuple[str, ...]


def _where(story: Story) -> str:
    if not story.fit or not story.fit.boxes:
        return ""
    parts = []
    for page, column, span, top, depth in story.fit.boxes:
        columns = f"column {column}" if span == 1 else f"columns {column}–{column + span - 1}"
        parts.append(f"page {page}, {columns}, lines {top}–{top + depth - 1}")
    return "; ".join(parts)


def normalizations(story: Story) -> list[str]:
    """The marks normalisation changed (R2), each with the paragraph, the character in the
    copy, and the text around it as set."""
    if story.fit is None or not story.fit.normalized:
        return []
    body = story.fields.get("body")
    removed: dict[int, list[int]] = {}
    for paragraph, index, _, new in story.fit.normalized:
        if not new:
            removed.setdefault(paragraph, []).append(index)
    out = []
    for paragraph, index, old, new in story.fit.normalized:
        shown = "(removed)" if not new else f"“{new}”"
        line = f"¶{paragraph + 1} character {index + 1}: “{old}” → {shown}"
        start = story.paragraphs.get(paragraph)
        if body is not None and start is not None:
            # The copy's position, less the spaces taken out before it, in the text as set.
            at = start[0] + start[1] + index - sum(1 for i in removed.get(paragraph, ())
                                                   if i < index)
            line += f"   …{body.text[max(0, at - 6):at + 7].replace(chr(10), '¶')}…"
        out.append(line)
    return out


def sections(story: Story) -> list[Section]:
    out = []
    for name in FIELD_ORDER:
        if name not in story.fields:
            continue
        if name == "body":
            text = story.body_set()
            if text:
                out.append(Section("body", LABELS["body"], tuple(text.split("\n"))))
            overset = story.overset_text()
            if overset:
                out.append(Section("overset", LABELS["overset"], tuple(overset.split("\n"))))
        else:
            out.append(Section(name, LABELS[name], (story.fields[name].text,)))
    found = normalizations(story)
    if found:
        out.append(Section("normalized", "标点规范 normalised (R2)", tuple(found)))
    return out


def as_text(stories: Iterable[Story]) -> str:
    out: list[str] = []
    for story in stories:
        where = _where(story)
        out.append(f"== {story.id}" + (f" · {where}" if where else ""))
        for section in sections(story):
            if len(section.paragraphs) == 1 and section.field not in ("body", "overset",
                                                                       "normalized"):
                out.append(f"[{section.field} {section.label}] {section.paragraphs[0]}")
            else:
                out.append(f"[{section.field} {section.label}]")
                out.extend(section.paragraphs)
        out.append("")
    return "\n".join(out)


def write_docx(stories: Iterable[Story], path: Path, title: str) -> None:
    """The same content as `as_text`, as a Word document: a heading per story, a bold
    label per field, body paragraphs as paragraphs."""
    import docx  # python-docx: only the Word export needs it (an import costs 0.2 s)

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for story in stories:
        document.add_heading(story.id, level=1)
        where = _where(story)
        if where:
            document.add_paragraph(where).italic = True
        for section in sections(story):
            label = document.add_paragraph()
            label.add_run(f"{section.label} ({section.field})").bold = True
            for text in section.paragraphs:
                document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
