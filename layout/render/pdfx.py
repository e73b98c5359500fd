"""PDF/X finishing of ReportLab's output with pikepdf (the renderer's only other library).

ReportLab writes the pages, fonts, images and page boxes but has no public way to
add what makes a file PDF/X (reference §5, R45): the output intent in the
document catalog, the PDF/X keys in the document information dictionary, XMP
metadata (PDF/X-4), an embedded output profile, and a document ID derived from
the content. pikepdf (qpdf) edits those objects and writes the file once more:

- PDF/X-1a:2001 (default): PDF 1.3; /GTS_PDFXVersion `PDF/X-1:2001` and
  /GTS_PDFXConformance `PDF/X-1a:2001`; an output intent naming the registered
  characterization (`IFRA26` in the ICC registry, http://www.color.org) — a
  registered condition needs no embedded profile; when the style names the
  plant's ICC profile it is embedded as /DestOutputProfile as well.
- PDF/X-4 (when the style supplies an ICC profile): PDF 1.6, the profile embedded,
  /GTS_PDFXVersion `PDF/X-4` in the document information and in XMP metadata.

Both: /Trapped /False, no object streams, and qpdf's deterministic /ID (a hash
of the written file), so the same pages give byte-identical files. The XMP
DocumentID is derived from the same content hash, and the dates are
ReportLab's invariant ones.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from xml.sax.saxutils import escape

import pikepdf

from layout.display import PrintSetup

_VERSIONS = {
    # pdfx setting: (PDF version, GTS_PDFXVersion, GTS_PDFXConformance)
    "PDF/X-1a:2001": ("1.3", "PDF/X-1:2001", "PDF/X-1a:2001"),
    "PDF/X-4": ("1.6", "PDF/X-4", None),
}


def finish_pdfx(data: bytes, press: PrintSetup) -> bytes:
    """ReportLab's PDF `data` as the PDF/X flavour `press.pdfx` names."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _finish(pdf, press, hashlib.sha1(data).hexdigest())
        return _save(pdf, press)


def merge_pdfx(documents: list[bytes], press: PrintSetup, title: str) -> bytes:
    """Join ReportLab PDFs page after page into one PDF/X file (the edition).

    Each page was rendered once for its own file; qpdf copies the pages with their
    fonts and images instead of ReportLab drawing them all again.
    """
    sources = [pikepdf.open(io.BytesIO(data)) for data in documents]
    try:
        with pikepdf.new() as pdf:
            for source in sources:
                pdf.pages.extend(source.pages)
            info = sources[0].docinfo
            for key in ("/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate"):
                if key in info:
                    pdf.docinfo[key] = info[key]
            pdf.docinfo.Title = pikepdf.String(title)
            digest = hashlib.sha1(b"".join(documents)).hexdigest()
            _finish(pdf, press, digest)
            return _save(pdf, press)
    finally:
        for source in sources:
            source.close()


def _finish(pdf: pikepdf.Pdf, press: PrintSetup, digest: str) -> None:
    _, pdfx_version, conformance = _VERSIONS[press.pdfx]
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(press.output_condition_identifier),
        Info=pikepdf.String(press.output_condition or press.output_condition_identifier),
    )
    if press.registry_name:
        intent.RegistryName = pikepdf.String(press.registry_name)
    if press.output_condition:
        intent.OutputCondition = pikepdf.String(press.output_condition)
    if press.icc_profile is not None:
        profile = pdf.make_stream(press.icc_profile.read_bytes())
        profile.N = 4
        intent.DestOutputProfile = profile
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    info = pdf.docinfo
    info.GTS_PDFXVersion = pikepdf.String(pdfx_version)
    if conformance:
        info.GTS_PDFXConformance = pikepdf.String(conformance)
    info.Trapped = pikepdf.Name("/False")
    if press.pdfx == "PDF/X-4":
        content_id = uuid.UUID(digest[:32])
        metadata = _xmp(info, pdfx_version, content_id)
        pdf.Root.Metadata = pdf.make_stream(metadata.encode("utf-8"),
                                            Type=pikepdf.Name.Metadata,
                                            Subtype=pikepdf.Name.XML)
    # Without ReportLab's /ID (a digest of the title only) qpdf derives both halves from the
    # written content.
    if "/ID" in pdf.trailer:
        del pdf.trailer.ID


def _save(pdf: pikepdf.Pdf, press: PrintSetup) -> bytes:
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, force_version=_VERSIONS[press.pdfx][0],
             object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=True,
             fix_metadata_version=False)
    return out.getvalue()


def _xmp_date(value: object) -> str:
    """D:20000101000000+00'00' → 2000-01-01T00:00:00+00:00."""
    match = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'?(\d\d)?", str(value))
    if not match:
        return "2000-01-01T00:00:00Z"
    y, mo, d, h, mi, s, tz, tzm = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{tz}:{tzm or '00'}"


def _xmp(info: pikepdf.Dictionary, pdfx_version: str, content_id: uuid.UUID) -> str:
    created = _xmp_date(info.get("/CreationDate", ""))
    modified = _xmp_date(info.get("/ModDate", info.get("/CreationDate", "")))
    title = escape(str(info.get("/Title", "")))
    producer = escape(str(info.get("/Producer", "")))
    creator = escape(str(info.get("/Creator", "paiban")))
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{content_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{content_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{pdfx_version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
