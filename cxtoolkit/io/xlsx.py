"""What an .xlsx/.xlsm file holds, read from its zip members before openpyxl touches it.

* :func:`check_workbook` refuses zip bombs with one line: members whose uncompressed size is
  too large in total or too compressed (the ratio of a crafted file, not of a real export),
  sheets whose declared ``<dimension>`` or actual cell extent exceeds :data:`MAX_CELLS`
  (a sheet padded to the last row and column would be materialised cell by cell).
* :func:`scan_sheet` also returns each sheet's merged cell ranges (a header merged over a
  date and a time column) and its formula cells saved without a value (openpyxl reads
  them as empty: the number is unknown, never 0).

The limits are generous enough for a real export of a full sheet (1,048,576 rows × 64
columns; a few GB of XML), and the scan reads the XML once in chunks (a few percent of
what openpyxl then takes to read it).

Examples
--------
>>> col_index("A"), col_index("AB"), col_letters(27)
(0, 27, 'AB')
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from cxtoolkit.errors import InputError

#: most cells a sheet may hold (declared or actual extent): a full sheet of 64 columns
MAX_CELLS = 1_048_576 * 64
#: most bytes the workbook's members may expand to, in total
MAX_UNCOMPRESSED = 4 * 1024 ** 3
#: a member larger than MAX_RATIO_FROM bytes may not be compressed more than MAX_RATIO times
#: (real sheet XML compresses 5-30 times; a crafted bomb 1,000 times and more)
MAX_RATIO = 100
MAX_RATIO_FROM = 8 * 1024 ** 2
CHUNK = 8 * 1024 ** 2

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DIM_RE = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
# row numbers and columns beyond Z (a literal prefix keeps these fast; another attribute
# order or other whitespace before ``r=`` falls back to the slower patterns)
_ROOT_RE = re.compile(rb'<(\w+:)?worksheet[\s>]')
_WIDE_COL_RE = re.compile(rb' r="([A-Z]{2,4})\d')
_ROW_RE_ANY = re.compile(rb'\sr="(\d{1,9})"')
_WIDE_COL_RE_ANY = re.compile(rb'\sr="([A-Z]{2,4})\d')
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_CELL_RE = re.compile(rb'<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_FORMULA_RE = re.compile(rb'<(?:\w+:)?f[\s>/]')
_VALUE_RE = re.compile(rb'<(?:\w+:)?v>[^<]')


def col_index(letters: str) -> int:
    """0-based index of a column's letters (``A`` = 0)."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """Letters of a 0-based column index."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class SheetScan:
    """What the scan of one sheet's XML found."""

    max_row: int = 0
    max_col: int = 0            # 1-based; 26 when no column beyond Z is used
    cells: int = 0              # upper bound of the number of cell elements
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), 1-based
    #: formula cells without a saved value: 0-based column index -> 1-based rows
    uncached: dict[int, list[int]] = field(default_factory=dict)


def _sizes(zf: zipfile.ZipFile, name: str) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_FROM and ratio > MAX_RATIO:
            raise InputError("error.io.refused_plausible_excel",
                             name=name,
                             filename=info.filename,
                             ratio=format(ratio, ',.0f'),
                             value=format(info.file_size / 1e6, ',.0f'),
                             MAX_RATIO=MAX_RATIO)
    if total > MAX_UNCOMPRESSED:
        raise InputError("error.io.refused_workbook_expands",
                         name=name,
                         value=format(total / 1e9, ',.1f'),
                         value2=format(MAX_UNCOMPRESSED / 1e9, ',.1f'))


def sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """``{sheet name: zip member}`` in the workbook's order (worksheets only)."""
    try:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    out = {}
    for sh in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sh.get(f"{_NS_REL}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if member in zf.namelist():
            out[sh.get("name", "")] = member
    return out


def _pieces(fh, chunk: int = CHUNK):
    """The XML in pieces cut after a ``row>`` tag (else before a ``<``): no tag is cut."""
    tail = b""
    while True:
        block = fh.read(chunk)
        data = tail + block
        if not block:
            if data:
                yield data
            return
        cut = data.rfind(b"row>")
        cut = cut + 4 if cut >= 0 else data.rfind(b"<")
        if cut <= 0:
            tail = data
            continue
        tail = data[cut:]
        yield data[:cut]


def _uncached(piece: bytes, found: dict[int, list[int]]) -> None:
    for m in _CELL_RE.finditer(piece):
        inner = m.group(2)
        if not inner or not _FORMULA_RE.search(inner) or _VALUE_RE.search(inner):
            continue
        ref = _REF_RE.search(m.group(1))
        if ref:
            found.setdefault(col_index(ref.group(1).decode()), []).append(int(ref.group(2)))


def scan_sheet(zf: zipfile.ZipFile, member: str, name: str, sheet: str) -> SheetScan:
    """Scan one sheet's XML; InputError when its declared or actual extent is too large."""
    scan = SheetScan()
    wide = b""
    with zf.open(member) as fh:
        for i, piece in enumerate(_pieces(fh)):
            if i == 0:
                dim = _DIM_RE.search(piece)
                if dim and dim.group(3):
                    rows = int(dim.group(4)) - int(dim.group(2) or 1) + 1
                    cols = col_index(dim.group(3).decode()) - col_index((dim.group(1) or b"A").decode()) + 1
                    ref = dim.group(0).split(b'ref="')[1].rstrip(b'"').decode()
                    _check_cells(rows * cols, name, sheet, f"declares {ref}")
            if i == 0:  # elements named with a namespace prefix (<x:row>) or not
                root = _ROOT_RE.search(piece)
                pre = (root.group(1) or b"") if root else b""
                row_tag, cell_tag, formula_tag = b"<" + pre + b"row", b"<" + pre + b"c", b"<" + pre + b"f"
                row_re = re.compile(re.escape(row_tag) + rb' r="(\d{1,9})"')
            rows = row_re.findall(piece)
            if len(rows) != piece.count(row_tag):  # another attribute order (or <rowBreaks>)
                rows = _ROW_RE_ANY.findall(piece)
            if rows:
                scan.max_row = max(scan.max_row, max(map(int, rows)))
            odd_space = piece.count(b'r="') != piece.count(b' r="')  # ("header=" too: then slower)
            wide_cols = (_WIDE_COL_RE_ANY if odd_space else _WIDE_COL_RE).findall(piece)
            widest = max(set(wide_cols), key=lambda c: (len(c), c), default=b"")
            wide = max(wide, widest, key=lambda c: (len(c), c))
            scan.cells += piece.count(cell_tag)
            if formula_tag in piece:
                _uncached(piece, scan.uncached)
            for m in (_MERGE_RE.finditer(piece) if b"mergeCell" in piece else ()):
                scan.merges.append((int(m.group(2)), col_index(m.group(1).decode()) + 1,
                                    int(m.group(4)), col_index(m.group(3).decode()) + 1))
            scan.max_col = max(col_index(wide.decode()) + 1, 26) if wide else 26
            _check_cells(scan.cells, name, sheet, "holds")
            _check_cells(scan.max_row * scan.max_col, name, sheet,
                         f"reaches cell {col_letters(scan.max_col - 1)}{scan.max_row}")
    return scan


def _check_cells(n: int, name: str, sheet: str, where: str) -> None:
    if n > MAX_CELLS:
        raise InputError("error.io.refused_sheet_cells",
                         name=name,
                         sheet=repr(sheet),
                         where=where,
                         n=format(n, ','),
                         MAX_CELLS=format(MAX_CELLS, ','))


def check_workbook(path: Path | str, name: str) -> dict[str, SheetScan]:
    """Guard an .xlsx/.xlsm before openpyxl opens it; ``{sheet name: scan}`` of every worksheet.

    Raises
    ------
    InputError
        One line naming the file: a zip bomb (see the module docstring), or not a workbook.
    """
    if not zipfile.is_zipfile(path):
        return {}  # not a zip: the Excel reader says what it is not
    try:
        with zipfile.ZipFile(path) as zf:
            _sizes(zf, name)
            return {sheet: scan_sheet(zf, member, name, sheet) for sheet, member in sheet_members(zf).items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise InputError("error.io.readable_excel_workbook", name=name, error_type=type(exc).__name__) from None
