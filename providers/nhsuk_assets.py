"""The NHS.UK frontend's stylesheet without its outside fonts (issue 17: no request to another host).

nhsuk-frontend's CSS declares its Frutiger faces on assets.nhs.uk. Frutiger is licensed, so it
cannot be among our static files, and a redeclared face does not stop the browser fetching the
original. So we serve a copy of the stylesheet without those @font-face rules: text falls back to
the NHS.UK stack (Frutiger where installed on the computer, else Arial) and nothing is fetched from
outside. The copy is made from node_modules whenever it is missing or older than the original.
"""

import os
import re
from pathlib import Path

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def without_outside_fonts(css: str) -> str:
    """The stylesheet less every @font-face that loads from another host."""
    return FONT_FACE.sub(lambda match: "" if "://" in match.group(0) else match.group(0), css)


def local_fonts_copy(source: Path, target_dir: Path) -> Path:
    """Write (when stale) and return target_dir/<source name>: `source` without outside fonts."""
    target = target_dir / source.name
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        target_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_text(without_outside_fonts(source.read_text(encoding="utf-8")), encoding="utf-8")
        partial.replace(target)  # atomic: several processes may start at once
    return target
