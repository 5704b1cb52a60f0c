-- Local database, version 10: sync servers the user allowed to reach over
-- plain http:// and ws:// although they are not on this computer. Without a
-- row here such a server is refused (`insecure_transport`). Keyed by the
-- normalised server URL, so the allowance never carries over to another one.
CREATE TABLE insecure_servers (
    url        TEXT PRIMARY KEY NOT NULL,
    allowed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
