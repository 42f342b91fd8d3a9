-- tor-connection-established over flat NDJSON (one file per table, one object of columns per line).
-- KQL -> SQL:
--   where Timestamp > ago(1d)      Timestamp > now - 1 day, with now = the manifest's `now`, compared in
--                                  nanoseconds (Kusto datetimes have 100 ns ticks; microseconds would round).
--   X has "t"                      kql_has: "t" is a whole term of X, a term being a maximal run of letters and
--                                  digits, case-insensitive. The ILIKE is implied by the regex, so adding it is
--                                  exact; it only lets DuckDB skip the regex on rows that cannot match.
--   X endswith ".tor"              X ILIKE '%.tor' (case-insensitive suffix).
--   X contains "azureus"           X ILIKE '%azureus%' (case-insensitive substring).
--   project ...                    the same columns, in order.
-- Reading: read_json with the format given and `columns` listing only the columns the query uses, with their
-- Kusto types, so nothing is sampled or inferred and the other keys are skipped. (This was about twice as fast
-- as read_ndjson_objects + from_json on these files.)
-- A JSON null string is "" in Kusto; every predicate here is false on "" and null alike, so no coalesce.
CREATE MACRO kql_has(text, term) AS
    text ILIKE '%' || term || '%'
    AND regexp_matches(text, '(?i)(^|[^\pL\pN])' || term || '([^\pL\pN]|$)');

SELECT Timestamp, DeviceName, DeviceId, InitiatingProcessFileName, RemoteUrl, RemoteIP, RemotePort, ReportId
FROM read_json('{{telemetry}}/DeviceNetworkEvents.ndjson', format = 'newline_delimited',
               columns = {'Timestamp': 'TIMESTAMP_NS', 'DeviceName': 'VARCHAR', 'DeviceId': 'VARCHAR',
                          'InitiatingProcessFileName': 'VARCHAR', 'RemoteUrl': 'VARCHAR', 'RemoteIP': 'VARCHAR',
                          'RemotePort': 'INTEGER', 'ReportId': 'BIGINT'})
WHERE Timestamp > make_timestamp_ns(epoch_ns(TIMESTAMP_NS '{{now}}') - 86400000000000)
  AND (kql_has(RemoteUrl, 'torrent') OR kql_has(RemoteUrl, 'vuze') OR kql_has(RemoteUrl, 'azureus')
       OR RemoteUrl ILIKE '%.tor'
       OR kql_has(InitiatingProcessFileName, 'torrent') OR kql_has(InitiatingProcessFileName, 'vuze')
       OR InitiatingProcessFileName ILIKE '%azureus%');
