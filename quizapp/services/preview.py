"""``quizapp preview``: a bank's exercise instances as one HTML page, for a reviewer."""

from __future__ import annotations

import html
from pathlib import Path

from quizapp.banks.formats import read_bank
from quizapp.domain import ExerciseContent, ExerciseTemplate
from quizapp.errors import UserError
from quizapp.exercises.instances import ExerciseInstance, draw_instance_seeded, shown_values

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 56rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1d1d1f; background: #fafafa; }
section { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem 1.25rem;
          margin: 1rem 0; }
h2 { font-size: 1rem; margin: 0 0 .5rem; color: #555; }
.values { font-family: monospace; font-size: .85rem; color: #666; }
.answer { font-weight: 600; color: #1a7f37; }
li.wrong { color: #8a1c1c; } li.right { color: #1a7f37; font-weight: 600; }
.mistake { color: #666; font-style: italic; }
@media (prefers-color-scheme: dark) {
  body { color: #e6e6e6; background: #1e1e1e; } section { background: #2a2a2a; border-color: #444; }
  .answer, li.right { color: #6fdd8b; } li.wrong { color: #ff8f8f; }
  h2, .values, .mistake { color: #aaa; }
}
"""


def preview_html(bank: Path, template_id: str | None, seed: int, count: int) -> tuple[str, int]:
    """The page, and how many instances it shows: ``count`` of each template (or of one)."""
    if not 1 <= count <= 1000:
        raise UserError("--count must be between 1 and 1000.")
    templates = [
        item.note.content.template
        for item in read_bank(bank).notes
        if isinstance(item.note.content, ExerciseContent)
    ]
    if template_id is not None:
        templates = [t for t in templates if t.template_id == template_id]
        if not templates:
            raise UserError(f"There is no exercise template '{template_id}' in {bank.name}.")
    if not templates:
        raise UserError(f"{bank.name} holds no exercise templates.")
    sections = [
        _section(template, draw_instance_seeded(template, seed + number), seed + number)
        for template in templates
        for number in range(count)
    ]
    title = html.escape(f"{bank.name}: exercise instances")
    page = (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>\n" + "\n".join(sections)
    )
    return page + "\n</body></html>\n", len(sections)


def _section(template: ExerciseTemplate, instance: ExerciseInstance, seed: int) -> str:
    parts = [
        f"<section><h2>{html.escape(template.template_id)} · seed {seed}</h2>",
        f"<p class='values'>{html.escape(shown_values(instance.variables))}</p>",
        f"<p>{html.escape(instance.question)}</p>",
    ]
    if instance.choices:
        items = []
        for choice in instance.choices:
            kind = "right" if choice.correct else "wrong"
            mark = "✓" if choice.correct else "✗"
            why = f" <span class='mistake'>({html.escape(choice.mistake)})</span>" * bool(
                choice.mistake
            )
            items.append(f"<li class='{kind}'>{mark} {html.escape(choice.label)}{why}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    parts.append(f"<p>Answer: <span class='answer'>{html.escape(instance.expected)}</span></p>")
    wrong = [
        f"<li>{html.escape(str(value))}: <span class='mistake'>{html.escape(mistake)}</span></li>"
        for value, mistake in instance.mistakes
        if value != instance.answer
    ]
    if wrong and not instance.choices:
        parts.append("<p>Wrong answers the mistakes give:</p><ul>" + "".join(wrong) + "</ul>")
    parts.append(f"<p>{html.escape(instance.explanation)}</p></section>")
    return "\n".join(parts)
