"""The commands that run without a window.

Each command imports what it uses when it runs: ``sample`` reads a bank and never
opens the database, so it loads no storage code.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO


def run_stats(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """``quizapp stats [--json] [--deck NAME] [--search QUERY] [--days N]``."""
    from quizapp.bootstrap import open_app
    from quizapp.services.stats import collection_stats, detailed_stats

    deck, search = getattr(arguments, "deck", None), getattr(arguments, "search", None)
    figures = arguments.json or deck is not None or search is not None
    app = open_app(arguments.db)
    try:
        stats = collection_stats(app.database, app.decks)
        if figures:  # the plain counts stay on the driver alone, without numpy
            stats |= detailed_stats(
                app.database, app.decks, app.clock, (deck, search), getattr(arguments, "days", 30)
            )
    finally:
        app.close()
    if arguments.json:
        json.dump(stats, out, ensure_ascii=False)
        out.write("\n")
        return 0
    out.write(f"Database: {stats['database']}\n")
    out.write(f"{stats['cards']} cards in {stats['notes']} notes, {stats['reviews']} answers\n\n")
    width = max((len(deck["name"]) for deck in stats["decks"]), default=4)
    out.write(f"{'Deck':<{width}}  {'Cards':>6}  {'New':>5}  {'Learn':>5}  {'Due':>5}\n")
    for deck in stats["decks"]:
        out.write(
            f"{deck['name']:<{width}}  {deck['cards']:>6}  {deck['new']:>5}  "
            f"{deck['learning']:>5}  {deck['due']:>5}\n"
        )
    if figures:
        _write_figures(stats, out)
    return 0


def _write_figures(stats: dict[str, object], out: TextIO) -> None:
    """Today's figures and true retention, under the counts, for --deck and --search."""
    today: dict[str, object] = stats["today"]  # type: ignore[assignment]
    retention = today["true_retention"]
    shown = "-" if retention is None else f"{retention:.0%}"
    out.write(
        f"\n{stats['scope']}, today: {today['studied']} cards studied, {today['answers']} "
        f"answers in {today['minutes']:.0f} min, {today['again']} Again, "
        f"true retention {shown}\n"
    )


def run_sample(arguments: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """``quizapp sample TEMPLATE_ID``: instances of an exercise template, as JSON."""
    from quizapp.bootstrap import bundled_banks
    from quizapp.services.exercises import sample_instances

    banks = [arguments.bank] if arguments.bank else bundled_banks()
    instances = sample_instances(arguments.template, arguments.seed, arguments.count, banks)
    json.dump(instances, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0
