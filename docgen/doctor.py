"""``docgen doctor``: what the machine has and lacks for every output format.

Each check says what is missing and the exact command that installs it.
"""
from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True  # False: only the tests need it; its absence does not fail the doctor


def font_found(family: str) -> bool:
    """Whether fontconfig knows ``family`` itself (not a substitute): the check both the doctor and
    ``docgen render`` make, since WeasyPrint would print Chinese as empty boxes without it."""
    fc = shutil.which("fc-list")
    if not fc:
        return False
    out = subprocess.run([fc, f":family={family}", "family"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def as_user(command: str) -> str:
    """``command`` as the current user must type it: package installs need ``sudo`` unless root."""
    needs_root = command.startswith("apt-get") and os.geteuid() != 0
    return f"sudo {command}" if needs_root else command


def _fonts(family: str) -> Check:
    found = font_found(family)
    return Check(f"CJK font ({family})", bool(found),
                 "found" if found else "not found by fontconfig: Chinese would print as empty boxes",
                 "apt-get install -y fonts-noto-cjk")


def _fallback_fonts() -> Check:
    from docgen.render.fonts import FALLBACK_FAMILIES, FALLBACK_PACKAGE

    missing = [f for f in FALLBACK_FAMILIES if not font_found(f)]
    return Check(f"CJK extension fallback fonts ({', '.join(FALLBACK_FAMILIES)})", not missing,
                 "found" if not missing else f"{', '.join(missing)} not found by fontconfig: rare characters "
                 "(CJK Extension B and later, e.g. 𠀀) would print as empty boxes",
                 f"apt-get install -y {FALLBACK_PACKAGE}")


def _harfbuzz_subset() -> Check:
    lib = ctypes.util.find_library("harfbuzz-subset")
    return Check("HarfBuzz subsetting library", bool(lib), lib or
                 "missing: WeasyPrint falls back to a font subsetter about 30× slower",
                 "apt-get install -y libharfbuzz-subset0")


def _weasyprint() -> Check:
    try:
        import weasyprint
        return Check("WeasyPrint (PDF)", True, f"version {weasyprint.__version__}")
    except (ImportError, OSError) as e:
        return Check("WeasyPrint (PDF)", False, f"cannot load: {e}",
                     "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 && pip install weasyprint")


def _compact_fonts() -> Check:
    try:
        from docgen.render.fonts import supported

        why = supported()
    except (ImportError, OSError) as e:  # WeasyPrint itself does not load: its own check says so
        why = f"WeasyPrint cannot load ({e})"
    return Check("Compact CJK font subsets (PDF size)", why is None,
                 "available" if why is None else f"{why}: PDFs embed WeasyPrint's much larger subsets",
                 "pip install 'weasyprint>=70,<71'")


def _program(name: str, what: str, package: str, required: bool = True) -> Check:
    path = shutil.which(name)
    return Check(what, bool(path), path or f"`{name}` not on PATH", f"apt-get install -y {package}", required)


def run_checks(font_family: str) -> list[Check]:
    """Every check, in the order a user should fix them."""
    return [
        _weasyprint(),
        _fonts(font_family),
        _fallback_fonts(),
        _harfbuzz_subset(),
        _compact_fonts(),
        _program("soffice", "LibreOffice (opens .docx like Word; tests use it)", "libreoffice-writer-nogui",
                 required=False),
        _program("pdftotext", "poppler-utils (reads PDFs back in tests)", "poppler-utils", required=False),
        _program("mutool", "mupdf-tools (tests compare pages drawn by MuPDF)", "mupdf-tools", required=False),
    ]
