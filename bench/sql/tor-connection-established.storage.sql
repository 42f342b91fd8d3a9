-- tor-connection-established over Streaming API records to a storage account: one folder tree per table,
-- insights-logs-advancedhunting-<table>/tenantId=.../y=/m=/d=/h=/m=00/PT1H.json, each CRLF line one record
-- {"time", "tenantId", "operationName", "category": "AdvancedHunting-<Table>", "properties": {<row>}}.
-- KQL -> SQL:
--   DeviceNetworkEvents            the files under insights-logs-advancedhunting-devicenetworkevents/: the
--                                  folder names the table (as the Streaming API writes it and torhunt reads it).
--   where Timestamp > ago(1d)      Timestamp > now - 1 day, with now = the manifest's `now`, compared in
--                                  nanoseconds (Kusto datetimes have 100 ns ticks; microseconds would round).
--   X has "t"                      kql_has: "t" is a whole term of X, a term being a maximal run of letters and
--                                  digits, case-insensitive. The ILIKE is implied by the regex, so adding it is
--                                  exact; it only lets DuckDB skip the regex on rows that cannot match.
--   X endswith ".tor"              X ILIKE '%.tor' (case-insensitive suffix).
--   X contains "azureus"           X ILIKE '%azureus%' (case-insensitive substring).
--   project ...                    the same columns, in order.
-- Reading: each line is parsed by from_json into a typed struct holding only the properties the query uses.
-- (read_json with the same `properties` struct type gives the same rows but is about 20x slower in DuckDB 2.0
-- on these files, so this is DuckDB's best form.) hive_partitioning = false: the folder names are not columns
-- (and m= is both the month and the minute).
-- A JSON null string is "" in Kusto; every predicate here is false on "" and null alike, so no coalesce.
CREATE MACRO kql_has(text, term) AS
    text ILIKE '%' || term || '%'
    AND regexp_matches(text, '(?i)(^|[^\pL\pN])' || term || '([^\pL\pN]|$)');

WITH network_events AS (
    SELECT unnest(from_json(json, '{"properties": {
               "Timestamp": "TIMESTAMP_NS", "DeviceName": "VARCHAR", "DeviceId": "VARCHAR",
               "InitiatingProcessFileName": "VARCHAR", "RemoteUrl": "VARCHAR", "RemoteIP": "VARCHAR",
               "RemotePort": "INTEGER", "ReportId": "BIGINT"}}').properties)
    FROM read_ndjson_objects('{{telemetry}}/insights-logs-advancedhunting-devicenetworkevents/**/*.json',
                             hive_partitioning = false)
)
SELECT Timestamp, DeviceName, DeviceId, InitiatingProcessFileName, RemoteUrl, RemoteIP, RemotePort, ReportId
FROM network_events
WHERE Timestamp > make_timestamp_ns(epoch_ns(TIMESTAMP_NS '{{now}}') - 86400000000000)
  AND (kql_has(RemoteUrl, 'torrent') OR kql_has(RemoteUrl, 'vuze') OR kql_has(RemoteUrl, 'azureus')
       OR RemoteUrl ILIKE '%.tor'
       OR kql_has(InitiatingProcessFileName, 'torrent') OR kql_has(InitiatingProcessFileName, 'vuze')
       OR InitiatingProcessFileName ILIKE '%azureus%');
