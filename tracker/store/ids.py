"""The one place item ids are decided.

An id is ``<source>:<native id>`` when the source has a stable id of its own
(regjeringen.no page id, Stortinget hearing/case id, EU initiative id, CELEX),
else ``<source>:u:<sha1 of the canonical URL>[:12]``. URL variants that point to
the same page — http/https, ``www.``, ``utm_*`` tracking parameters, fragments,
the ``/no/dokumenter/id<N>/`` short form that redirects to the slug form —
all canonicalise to the same thing.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

#: tracking parameters that never change which page a URL names
TRACKING = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "utm_name",
            "fbclid", "gclid", "mc_cid", "mc_eid", "ref")
_REGJERINGEN_ID = re.compile(r"/id(\d{4,})/?$")


def canonical_url(url: str) -> str:
    """w3lib's canonical form (sorted query, normalised percent-encoding, no fragment) without
    tracking parameters, with https and a lower-case host without ``www.``."""
    cleaned = url_query_cleaner(url.strip(), TRACKING, remove=True, keep_fragments=False)
    parts = urlsplit(canonicalize_url(cleaned))
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path or "/"
    if host == "regjeringen.no" and (m := _REGJERINGEN_ID.search(path)):
        # /no/dokumenter/<slug>/id123/ and /no/dokumenter/id123/ are the same page
        lang = path.strip("/").split("/", 1)[0]
        path = f"/{lang}/dokumenter/id{m.group(1)}/"
    return urlunsplit(("https", host, path, parts.query, ""))


def native_id_from_url(url: str) -> str | None:
    """The page id where the URL carries one (regjeringen.no ``/id<N>/``)."""
    m = _REGJERINGEN_ID.search(urlsplit(url).path)
    return m.group(1) if m else None


def item_id(source: str, native_id: str | None, url: str) -> str:
    """Stable id for an item of `source`.

    A regjeringen.no page is one item whichever spider finds it (the hearings feed,
    Finansdepartementet's feed, EØS-notater): its id is ``regjeringen:<page id>``.
    """
    if (page_id := native_id_from_url(url)) and "regjeringen.no" in (urlsplit(url).hostname or ""):
        return f"regjeringen:{page_id}"
    native = (native_id or "").strip() or native_id_from_url(url)
    if native:
        return f"{source}:{native}"
    digest = hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:12]
    return f"{source}:u:{digest}"
