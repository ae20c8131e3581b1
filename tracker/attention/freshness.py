"""Whether what the store holds may pass for current: no crawl yet, none that succeeded, the latest
successful one too old for the profile (`max_age_hours`). Decided here for every view of the store —
the digest (which turns red), `inbox`, `horizon`, the web workbench (`tracker.digest.build.trust_banners`)
and the plain lookups (`items`, `search`, `events`, `export`, …), which say it as a warning — and kept
light (no digest package, no Scrapy) so that a lookup pays only its two queries."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from tracker.attention.profiles import Profile
from tracker.i18n import Translator, format_datetime
from tracker.store import deadlines
from tracker.store.instants import stored
from tracker.store.queries import DAILY_RUN_SQL


def problems(db: sqlite_utils.Database, as_of: datetime, profile: Profile, lang: str, *,
             digest: bool = True) -> list[str]:
    """Why this digest must not pass for a quiet day (empty when the data is fresh); `digest=False`
    words the same for another view of the store at `as_of` (inbox, horizon, the web workbench)."""
    from tracker.store import health as health_mod

    _ = Translator(lang)
    # runs' clocks are stored instants (UTC, one form: tracker.store.instants), so SQL finds the
    # first and the latest good one as text; every page of the web asks this
    first = health_mod.first_clock(db)
    if first is None:
        return [_("No crawl has run yet: this digest shows no data.") if digest
                else _("No crawl has run yet: there is no data to show.")]
    out = []
    if deadlines.oslo_date(as_of) < deadlines.oslo_date(first):
        out.append(_("The digest's day is before the first crawl (%(first)s): there is no data for it.",
                     first=format_datetime(first, lang)))
        return out
    # the latest daily run up to this clock never finished (killed, or still crawling): what the
    # store holds is the runs' before it, whatever clock the digest took from it
    last = db.execute(f"""select r.as_of, r.exit_code from runs r where r.as_of > '' and r.as_of <= ? and {DAILY_RUN_SQL}
                          order by r.as_of desc, r.id desc limit 1""", [stored(as_of)]).fetchone()
    if last is not None and last[1] is None:
        when = format_datetime(deadlines.to_datetime(last[0]), lang)
        out.append(_("The crawl of %(when)s did not finish (it was stopped, or is still running): this digest "
                     "shows what the crawls before it found.", when=when) if digest
                   else _("The crawl of %(when)s did not finish (it was stopped, or is still running): what is "
                          "shown is what the crawls before it found.", when=when))
    # a crawl succeeded when it finished and one of its sources is not red (the documents' row is
    # no crawl); a backfill is no crawl of today's news
    latest = deadlines.to_datetime(db.execute(
        f"""select max(r.as_of) from runs r
           where r.exit_code is not null and r.as_of > '' and r.as_of <= ? and {DAILY_RUN_SQL}
             and exists (select 1 from health h where h.run_id = r.id and h.status != 'red' and h.source != ?)""",
        [stored(as_of), health_mod.DOCUMENTS]).fetchone()[0])
    if latest is None:
        if as_of < first:  # every run's clock is later than this one (a replay run with a clock ahead)
            out.append(_("The first crawl's clock (%(first)s) is later than this one (%(now)s): nothing "
                         "before it can be shown.", first=format_datetime(first, lang), now=format_datetime(as_of, lang)))
            return out
        out.append(_("No successful crawl before this digest: its data cannot be trusted.") if digest
                   else _("No crawl has succeeded yet: what is shown cannot be trusted."))
        return out
    hours = (as_of - latest).total_seconds() / 3600
    if hours > profile.max_age_hours:
        when = format_datetime(latest, lang)
        out.append(_("The latest successful crawl was %(when)s, more than %(hours)d hours before this digest: "
                     "what it shows may be out of date.", when=when, hours=int(profile.max_age_hours)) if digest
                   else _("The latest successful crawl was %(when)s, more than %(hours)d hours ago: what is "
                          "shown may be out of date.", when=when, hours=int(profile.max_age_hours)))
    return out
