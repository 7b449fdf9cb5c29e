"""Zip the extension for the Chrome Web Store: `python3 integrations/browser/package.py [OUT.zip]`
(or `make browser-extension-zip`). Default OUT: dist/commlint-browser-<version>.zip.

The store gives a published extension its own key and id, and refuses a manifest that carries
one, so the zip's manifest.json leaves out `key` (kept in the folder so an unpacked install has a
fixed id, chrome-extension://khjnaidkfbadpmkhfamcdhnpmcjfahgp, for `--allow-origin`).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ["background.js", "content.js", "options.html", "options.js", "popup.html", "popup.js", "icon48.png", "icon128.png"]


def main(argv: list[str]) -> int:
    manifest = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("key", None)
    out = Path(argv[1]) if len(argv) > 1 else HERE.parent.parent / "dist" / f"commlint-browser-{manifest['version']}.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name in FILES:
            z.write(HERE / name, name)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
