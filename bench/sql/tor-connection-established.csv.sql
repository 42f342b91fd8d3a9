-- tor-connection-established over the portal CSV export (header row, RFC 4180, CRLF).
-- KQL -> SQL:
--   where Timestamp > ago(1d)      Timestamp > now - 1 day, with now = the manifest's `now`, compared in
--                                  nanoseconds (Kusto datetimes have 100 ns ticks; microseconds would round).
--   X has "t"                      kql_has: "t" is a whole term of X, a term being a maximal run of letters and
--                                  digits, case-insensitive. The ILIKE is implied by the regex, so adding it is
--                                  exact; it only lets DuckDB skip the regex on rows that cannot match.
--   X endswith ".tor"              X ILIKE '%.tor' (case-insensitive suffix).
--   X contains "azureus"           X ILIKE '%azureus%' (case-insensitive substring).
--   project ...                    the same columns, in order.
-- Reading: the dialect is given and the sniffing sample minimal (sample_size = 1). Columns default to VARCHAR
-- and only those the query uses get their Kusto types. An empty field is "" for a Kusto string but null in
-- DuckDB; every predicate here is false on "" and null alike, so no coalesce.
CREATE MACRO kql_has(text, term) AS
    text ILIKE '%' || term || '%'
    AND regexp_matches(text, '(?i)(^|[^\pL\pN])' || term || '([^\pL\pN]|$)');

SELECT Timestamp, DeviceName, DeviceId, InitiatingProcessFileName, RemoteUrl, RemoteIP, RemotePort, ReportId
FROM read_csv('{{telemetry}}/DeviceNetworkEvents.csv',
              header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n', sample_size = 1,
              auto_type_candidates = ['VARCHAR'],
              types = {'Timestamp': 'TIMESTAMP_NS', 'RemotePort': 'INTEGER', 'ReportId': 'BIGINT'})
WHERE Timestamp > make_timestamp_ns(epoch_ns(TIMESTAMP_NS '{{now}}') - 86400000000000)
  AND (kql_has(RemoteUrl, 'torrent') OR kql_has(RemoteUrl, 'vuze') OR kql_has(RemoteUrl, 'azureus')
       OR RemoteUrl ILIKE '%.tor'
       OR kql_has(InitiatingProcessFileName, 'torrent') OR kql_has(InitiatingProcessFileName, 'vuze')
       OR InitiatingProcessFileName ILIKE '%azureus%');
