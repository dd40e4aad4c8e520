"""The 14-day chart of the health page as inline SVG, drawn on the server (readable without JavaScript).

Accessible the way the SVG spec suggests: `role="img"` labelled by its <title> and <desc>, and every bar
carries its own <title> with the day and the count; numbers are also written above the bars, so nothing
depends on hovering. Every word comes from the caller or gettext, so the chart speaks the page's language.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

LEFT, RIGHT, TOP, PLOT, BOTTOM, COLUMN, BAR = 36, 8, 34, 150, 34, 48, 16
PLATFORM_COLOUR, IMPORTED_COLOUR, FLAG_COLOUR = "#8a96a3", "#417690", "#ba2121"


@dataclass
class ChartDay:
    day: date
    imported: int
    on_platform: int | None  # None: not reconciled yet
    flagged: bool = False


def daily_chart(*, days: list[ChartDay], title: str, desc: str, uid: str) -> SafeString:
    """An SVG bar chart: per day, orders on the platform beside orders imported; differing days in red."""
    width = LEFT + COLUMN * len(days) + RIGHT
    height = TOP + PLOT + BOTTOM
    top = max([1] + [d.imported for d in days] + [d.on_platform or 0 for d in days])
    parts = [_legend(any(d.flagged for d in days)), _axis(top, width)]
    for n, day in enumerate(days):
        parts.append(_column(day, LEFT + COLUMN * n, top))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="store-health-chart" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" aria-labelledby="{uid}-title {uid}-desc" font-family="sans-serif" font-size="11">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        uid=uid,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),  # every part was built with format_html
    )


def _y(value: int, top: int) -> float:
    return TOP + PLOT - PLOT * value / top


def _legend(flagged: bool) -> str:
    items = [(PLATFORM_COLOUR, _("On the platform")), (IMPORTED_COLOUR, _("Imported"))]
    if flagged:
        items.append((FLAG_COLOUR, _("! = the counts differ")))
    return format_html_join(
        "",
        '<rect x="{}" y="8" width="10" height="10" fill="{}"/><text x="{}" y="17" fill="currentColor">{}</text>',
        ((LEFT + 150 * i, colour, LEFT + 150 * i + 14, label) for i, (colour, label) in enumerate(items)),
    )


def _axis(top: int, width: int) -> str:
    base, peak = _y(0, top), _y(top, top)
    return format_html(
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="currentColor" stroke-opacity="0.5"/>'
        '<line x1="{l}" y1="{p}" x2="{r}" y2="{p}" stroke="currentColor" stroke-opacity="0.15"/>'
        '<text x="{t}" y="{b}" text-anchor="end" dominant-baseline="middle" fill="currentColor">0</text>'
        '<text x="{t}" y="{p}" text-anchor="end" dominant-baseline="middle" fill="currentColor">{top}</text>',
        l=LEFT,
        r=width - RIGHT,
        b=base,
        p=peak,
        t=LEFT - 4,
        top=top,
    )


def _column(day: ChartDay, x: int, top: int) -> str:
    label = formats.date_format(day.day, "j M")
    parts = []
    if day.flagged:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="0.08"/>',
                x + 2,
                TOP,
                COLUMN - 4,
                PLOT,
                FLAG_COLOUR,
            )
        )
    if day.on_platform is None:
        text = _("%(day)s: not reconciled yet") % {"day": label}
        parts.append(_bar(x + 6, 0, top, PLATFORM_COLOUR, "?", text))
    else:
        text = _("%(day)s: %(n)d on the platform") % {"day": label, "n": day.on_platform}
        parts.append(_bar(x + 6, day.on_platform, top, PLATFORM_COLOUR, str(day.on_platform), text))
    text = _("%(day)s: %(n)d imported") % {"day": label, "n": day.imported}
    parts.append(_bar(x + 6 + BAR + 2, day.imported, top, IMPORTED_COLOUR, str(day.imported), text))
    colour, weight = (FLAG_COLOUR, "bold") if day.flagged else ("currentColor", "normal")
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="{}">{}{}</text>',
            x + COLUMN / 2,
            TOP + PLOT + 16,
            colour,
            weight,
            label,
            " !" if day.flagged else "",
        )
    )
    return "".join(parts)


def _bar(x: float, value: int, top: int, colour: str, number: str, text: str) -> str:
    y = _y(value, top)
    return format_html(
        '<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="9" fill="currentColor">{}</text></g>',
        text,
        x,
        y,
        BAR,
        TOP + PLOT - y,
        colour,
        x + BAR / 2,
        y - 3,
        number,
    )
