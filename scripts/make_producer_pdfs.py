"""Typeset the project's corpus texts with real PDF producers: the producer test set.

    python scripts/make_producer_pdfs.py [--producers latex,libreoffice,chromium,groff]

Journal PDFs come from LaTeX, Word/LibreOffice, browser print and old PostScript pipelines, and
each leaves its own traps for a reader (word gaps, hyphens, fragments of justified lines, Type 1 vs
TrueType fonts). This script writes ``tests/producer_pdfs/<producer>/<name>.pdf`` for every text of
``corpus/reports/*.txt`` (and the source of the reportlab-made ``c11``), with the producers of
Debian's packages:

- ``latex``: pdflatex, two columns, babel hyphenation, a running header, the literature table as a
  float (texlive-latex-recommended, texlive-latex-extra);
- ``libreoffice``: Writer, justified with automatic hyphenation, header and page-number footer,
  the table inline (libreoffice-writer-nogui, hyphen-en-us);
- ``chromium``: headless print of an HTML page with two CSS columns, justified (chromium);
- ``groff``: ``groff -ms -t`` two columns, justified, a tbl table, then ps2pdf (groff, ghostscript).

The PDFs are committed, so tests and CI need none of the producers. Every document gets the same
literature table before its discussion: patients of other papers that must stay out of the records.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdfgen import plain_text, read_source  # noqa: E402

OUT = ROOT / "tests" / "producer_pdfs"  # outside corpus/, which "casetable extract corpus/" reads
PRODUCERS = ("latex", "libreoffice", "chromium", "groff")
JOURNAL = "Journal of Typeset Case Reports"
TABLE_CAPTION = "Table 1. Previously reported patients with kinase fusions treated with targeted therapy."
TABLE = [("Report", "Age/sex", "Fusion", "Treatment", "Response"),
         ("Okafor et al. 2016", "8/M", "ETV6-NTRK3", "larotrectinib", "CR"),
         ("Lindqvist et al. 2018", "44/F", "EZR-ROS1", "entrectinib", "PR"),
         ("Haddad et al. 2019", "61/M", "KIF5B-RET", "selpercatinib", "PR"),
         ("Moreau et al. 2020", "19/F", "TPM4-ALK", "ceritinib", "SD"),
         ("Sato et al. 2021", "37/M", "CD74-ROS1", "repotrectinib", "PR")]
_HEADING = re.compile(r"^[^.!?]{1,60}$")


@dataclass
class Source:
    """A report as the producers set it: title, then headings and paragraphs in order."""

    name: str
    title: str
    blocks: list[tuple[str, str]]  # ("heading" | "paragraph", text)

    @property
    def text(self) -> str:
        """The plain text whose records the PDFs must give."""
        return "\n\n".join([self.title, *(text for _, text in self.blocks)])


def parse(name: str, text: str) -> Source:
    """Blocks between blank lines; a short block without sentence punctuation is a heading."""
    chunks = [" ".join(c.split()) for c in re.split(r"\n\s*\n", text.strip()) if c.strip()]
    blocks = [("heading" if _HEADING.match(c) and not c.endswith(":") else "paragraph", c) for c in chunks[1:]]
    return Source(name, chunks[0], blocks)


def sources() -> list[Source]:
    found = [parse(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))]
    for path in sorted((ROOT / "corpus" / "pdf_source").glob("*.source.md")):
        body, options = read_source(path)
        found.append(parse(path.name.removesuffix(".source.md"), f"{options['title']}\n\n{plain_text(body)}"))
    return found


def table_position(source: Source) -> int:
    """Index of the block the table precedes: the discussion heading, else the end."""
    for i, (kind, text) in enumerate(source.blocks):
        if kind == "heading" and "discussion" in text.lower():
            return i
    return len(source.blocks)


# ------------------------------------------------------------------------------------ LaTeX

_LATEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                  "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                  "×": r"\texttimes{}", "²": r"\textsuperscript{2}", "≥": r"$\geq$", "≤": r"$\leq$",
                  "µ": r"\textmu{}", "±": r"\textpm{}", "°": r"\textdegree{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_ESCAPES.get(c, c) for c in text)


def latex(source: Source) -> str:
    rows = " \\\\\n".join(" & ".join(latex_escape(c) for c in row) for row in TABLE[1:])
    table = ("\\begin{table*}[tbp]\\footnotesize\\centering\n"
             f"\\caption*{{{latex_escape(TABLE_CAPTION)}}}\n\\begin{{tabular}}{{lllll}}\\toprule\n"
             f"{' & '.join(TABLE[0])} \\\\\\midrule\n{rows} \\\\\\bottomrule\n\\end{{tabular}}\n\\end{{table*}}\n")
    body: list[str] = []
    for i, (kind, text) in enumerate(source.blocks):
        if i == table_position(source):
            body.append(table)
        body.append(f"\\section*{{{latex_escape(text)}}}" if kind == "heading" else latex_escape(text))
    if table_position(source) == len(source.blocks):
        body.append(table)
    return "\n\n".join([
        "\\documentclass[12pt,twocolumn,a4paper]{article}",
        "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\usepackage[english]{babel}\n"
        "\\usepackage[margin=25mm]{geometry}\n\\usepackage{booktabs}\n\\usepackage{caption}\n"
        "\\usepackage{fancyhdr}\n\\pagestyle{fancy}\\fancyhf{}\n"
        f"\\fancyhead[C]{{\\small {JOURNAL}}}\\fancyfoot[C]{{\\thepage}}\n"
        "\\renewcommand{\\headrulewidth}{0pt}",
        f"\\title{{{latex_escape(source.title)}}}\\author{{}}\\date{{}}",
        "\\begin{document}\n\\maketitle\\thispagestyle{fancy}", *body, "\\end{document}\n"])


def make_latex(source: Source, work: Path) -> Path:
    tex = work / f"{source.name}.tex"
    tex.write_text(latex(source), encoding="utf-8")
    for _ in range(2):
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=work,
                       check=True, capture_output=True, timeout=120)
    return work / f"{source.name}.pdf"


# ------------------------------------------------------------------------------------ HTML

def html_page(source: Source) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in TABLE[1:])
    head = "".join(f"<th>{html.escape(c)}</th>" for c in TABLE[0])
    table = f"<table><caption>{html.escape(TABLE_CAPTION)}</caption><tr>{head}</tr>{cells}</table>"
    body: list[str] = []
    for i, (kind, text) in enumerate(source.blocks):
        if i == table_position(source):
            body.append(table)
        body.append(f"<h2>{html.escape(text)}</h2>" if kind == "heading" else f"<p>{html.escape(text)}</p>")
    if table_position(source) == len(source.blocks):
        body.append(table)
    style = ("@page { size: A4; margin: 18mm; } body { font: 11pt/1.35 'Liberation Serif', serif; } "
             "main { columns: 2; column-gap: 7mm; text-align: justify; hyphens: auto; } "
             "h1 { font-size: 15pt; } h2 { font-size: 11pt; margin: 0.8em 0 0.3em; } p { margin: 0 0 0.5em; } "
             "table { font-size: 8pt; border-collapse: collapse; margin: 0.5em 0; } "
             "caption { text-align: left; font-size: 8pt; } td, th { padding: 1px 3px; text-align: left; }")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(source.title)}</title>"
            f"<style>{style}</style></head><body><h1>{html.escape(source.title)}</h1><main>{''.join(body)}</main>"
            "</body></html>")


def make_chromium(source: Source, work: Path) -> Path:
    page = work / f"{source.name}.html"
    page.write_text(html_page(source), encoding="utf-8")
    pdf = work / f"{source.name}.pdf"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return pdf


# ------------------------------------------------------------------------------------ LibreOffice

def flat_odt(source: Source) -> str:
    def cell(text: str) -> str:
        return f"<table:table-cell><text:p text:style-name='Small'>{html.escape(text)}</text:p></table:table-cell>"

    rows = "".join(f"<table:table-row>{''.join(cell(c) for c in row)}</table:table-row>" for row in TABLE)
    table = (f"<text:p text:style-name='Small'>{html.escape(TABLE_CAPTION)}</text:p>"
             f"<table:table table:name='Table1'><table:table-column table:number-columns-repeated='5'/>"
             f"{rows}</table:table>")
    body: list[str] = [f"<text:h text:style-name='Title' text:outline-level='1'>{html.escape(source.title)}</text:h>"]
    for i, (kind, text) in enumerate(source.blocks):
        if i == table_position(source):
            body.append(table)
        body.append(f"<text:h text:style-name='Heading' text:outline-level='2'>{html.escape(text)}</text:h>"
                    if kind == "heading" else f"<text:p text:style-name='Body'>{html.escape(text)}</text:p>")
    if table_position(source) == len(source.blocks):
        body.append(table)
    language = "fo:language='en' fo:country='US'"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify"
 fo:margin-bottom="0.15cm"/><style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt" {language}
 fo:hyphenate="true" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2"/></style:style>
<style:style style:name="Heading" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm"
 fo:margin-bottom="0.15cm"/><style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"
 fo:font-weight="bold" {language}/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:text-properties style:font-name="Liberation Serif"
 fo:font-size="16pt" fo:font-weight="bold" {language}/></style:style>
<style:style style:name="Small" style:family="paragraph"><style:text-properties style:font-name="Liberation Serif"
 fo:font-size="8pt" {language}/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="Layout"><style:page-layout-properties fo:page-width="21cm"
 fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="Layout">
<style:header><text:p text:style-name="Small">{JOURNAL}</text:p></style:header>
<style:footer><text:p text:style-name="Small"><text:page-number text:select-page="current"/></text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text>{''.join(body)}</office:text></office:body></office:document>
"""


def make_libreoffice(source: Source, work: Path) -> Path:
    document = work / f"{source.name}.fodt"
    document.write_text(flat_odt(source), encoding="utf-8")
    profile = Path(tempfile.mkdtemp(prefix="soffice-profile-"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work), str(document)], check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return work / f"{source.name}.pdf"


# ------------------------------------------------------------------------------------ groff

def groff_escape(text: str) -> str:
    text = text.replace("\\", "\\e")
    return f"\\&{text}" if text[:1] in ".'" else text


def groff_ms(source: Source) -> str:
    table = "\n".join([".DS L", ".ps 8", groff_escape(TABLE_CAPTION), ".TS", "l l l l l.",
                       *("\t".join(row) for row in TABLE), ".TE", ".ps", ".DE"])
    lines = [".nr PS 11", ".nr VS 13", ".nr HM 0.6i", ".nr FM 0.6i", f'.ds CH "{JOURNAL}', '.ds CF "%',
             ".TL", groff_escape(source.title), ".AB no", ".AE", ".2C"]
    for i, (kind, text) in enumerate(source.blocks):
        if i == table_position(source):
            lines.append(table)
        lines += [".SH", groff_escape(text)] if kind == "heading" else [".PP", groff_escape(text)]
    if table_position(source) == len(source.blocks):
        lines.append(table)
    return "\n".join(lines) + "\n"


def make_groff(source: Source, work: Path) -> Path:
    ms = work / f"{source.name}.ms"
    ms.write_text(groff_ms(source), encoding="utf-8")
    postscript = subprocess.run(["groff", "-k", "-t", "-ms", "-Tps", "-dpaper=a4", "-P-pa4", str(ms)],
                                check=True, capture_output=True, timeout=120).stdout
    (work / f"{source.name}.ps").write_bytes(postscript)
    subprocess.run(["ps2pdf", "-sPAPERSIZE=a4", f"{source.name}.ps", f"{source.name}.pdf"], cwd=work,
                   check=True, capture_output=True, timeout=120)
    return work / f"{source.name}.pdf"


MAKERS = {"latex": make_latex, "libreoffice": make_libreoffice, "chromium": make_chromium, "groff": make_groff}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--producers", default=",".join(PRODUCERS), help="comma-separated, of: " + ", ".join(PRODUCERS))
    args = parser.parse_args(argv)
    for producer in args.producers.split(","):
        (OUT / producer).mkdir(parents=True, exist_ok=True)
        for source in sources():
            with tempfile.TemporaryDirectory() as work:
                pdf = MAKERS[producer](source, Path(work))
                shutil.copyfile(pdf, OUT / producer / f"{source.name}.pdf")
            print(f"{producer}/{source.name}.pdf", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")  # pdflatex and ghostscript date their output by it
    sys.exit(main())
