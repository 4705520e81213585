"""The queue's rows, drawn in Python: the part every queue answer repeats for each consultant
signed in (60 and more on a big floor), where a template loop cost ~0.3 ms a row
(docs/performance.md, issue 14). The same HTML the template gave; every value escaped.

    {% load queue_rows %}{% queue_rows board project code %}
"""

from __future__ import annotations

import html

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from guishu.record.models import Project
from guishu.rotation.selectors import Board, BoardLine

register = template.Library()


@register.simple_tag
def queue_rows(board: Board, project: Project, code: str) -> SafeString:
    """The ``<tr>`` of each line; with ``code`` (the desk's view) each row's back and sign-out."""
    if not board.lines:
        return mark_safe(f'<tr><td colspan="6" class="note">{_e(_("今天还没有顾问签到"))}</td></tr>')  # noqa: S308
    controls = None
    if code:
        url = _e(reverse("rotation_change", args=[project.code]))
        controls = (
            f'<td><form hx-post="{url}" hx-target="#queue" hx-swap="outerHTML" class="inline tight">',
            f'<button type="submit" name="action" value="back" class="secondary">{_e(_("回到队列"))}</button>',
            f'<button type="submit" name="action" value="sign_out" class="secondary">{_e(_("签退"))}</button>'
            "</form></td>",
        )
    return mark_safe("\n".join(_row(x, controls) for x in board.lines))  # noqa: S308 - every value escaped


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _row(x: BoardLine, controls: tuple[str, str, str] | None) -> str:
    staff, up = _e(x.staff), x.up
    since = timezone.localtime(x.since).strftime("%H:%M")
    row = (
        f'<tr class="status-{_e(x.status)}{" up" if up else ""}" data-staff="{staff}">'
        f"<td>{x.position}</td><td>{_e(x.name)}{' <strong>▶</strong>' if up else ''}</td>"
        f'<td>{_e(x.status_words)} <span class="note">{since}</span></td>'
        f"<td>{x.counted}</td><td>{x.credits or ''}</td>"
    )
    if controls is not None:
        form, back, sign_out = controls
        hidden = f'<input type="hidden" name="staff" value="{staff}">'
        row += form + hidden + (back if x.status != "ready" else "") + sign_out
    return row + "</tr>"
