"""``quizapp preview BANK [TEMPLATE_ID] [--seed N] [--count K] OUT.html``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO


def run_preview(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Write the instances of a bank's templates (or of one) to an HTML page."""
    from quizapp.errors import UserError
    from quizapp.services.preview import preview_html

    options = _options().parse_intermixed_args(arguments.rest)
    *template, target = options.names
    if len(template) > 1:
        raise UserError("preview takes BANK, at most one TEMPLATE_ID, then OUT.html.")
    page, shown = preview_html(
        arguments.bank, template[0] if template else None, options.seed, options.count
    )
    Path(target).write_text(page, encoding="utf-8")
    out.write(f"Wrote {shown} instance{'s' * (shown != 1)} to {target}.\n")
    return 0


def _options() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quizapp preview BANK")
    parser.add_argument("names", nargs="+", metavar="[TEMPLATE_ID] OUT.html")
    parser.add_argument("--seed", type=int, default=0, help="the first instance's seed")
    parser.add_argument("--count", type=int, default=3, help="instances of each template")
    return parser
