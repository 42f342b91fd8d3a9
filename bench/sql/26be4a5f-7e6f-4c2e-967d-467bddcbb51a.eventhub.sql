-- DetectTorRelayConnectivity (26be4a5f-...) over Streaming API messages to Event Hub: NDJSON lines
-- {"records": [...]}, each record {"category": "AdvancedHunting-<Table>", "properties": {<row>}}, all tables
-- mixed in one file.
-- KQL -> SQL:
--   externaldata (...) [url] with (ignoreFirstRecord=true, format="csv")
--                                  read_csv of the local copy the URL maps to, header skipped, the same ten
--                                  columns and types.
--   | where AddressType == "IPv4"  AddressType = 'IPv4' (== is case-sensitive).
--   DeviceNetworkEvents, DeviceInfo
--                                  the records whose category is AdvancedHunting-<Table>. The files are parsed
--                                  once (MATERIALIZED) for both tables: DuckDB's fastest form here.
--   join kind=inner ... on $left.IPAddress == $right.RemoteIP
--                                  INNER JOIN ON IPAddress = RemoteIP.
--   join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
--                                  INNER JOIN (SELECT DISTINCT DeviceId, PublicIP FROM DeviceInfo) ON DeviceId;
--                                  the left side's DeviceId is the one projected, as in Kusto.
--   project ..., LocalPublicIP = PublicIP, TorIP = IPAddress, ...
--                                  the same columns, renamed, in order.
-- Reading: each line is parsed by from_json into a typed struct holding only the properties the query uses,
-- then its records are unnested. (read_json with the same `records` type gives the same rows but is about 10x
-- slower in DuckDB 2.0 on these 50-record lines, so this is DuckDB's best form.)
-- A JSON null string is "" in Kusto, so the join and distinct keys are coalesced to "" (Kusto joins "" with "";
-- SQL never joins null).
WITH tor_relays AS (
    SELECT * REPLACE (coalesce(IPAddress, '') AS IPAddress)
    FROM read_csv('{{relay_list}}', header = true, delim = ',', quote = '"', escape = '"', new_line = '\r\n',
                  auto_detect = false,
                  columns = {'Nickname': 'VARCHAR', 'Fingerprint': 'VARCHAR', 'EntryAddress': 'VARCHAR',
                             'IPAddress': 'VARCHAR', 'Port': 'VARCHAR', 'AddressType': 'VARCHAR',
                             'Hostname': 'VARCHAR', 'CountryCode': 'VARCHAR', 'IsRunning': 'BOOLEAN',
                             'LastChangedIPData': 'VARCHAR'})
    WHERE AddressType = 'IPv4'
),
records AS MATERIALIZED (
    SELECT record.category AS category, unnest(record.properties)
    FROM (
        SELECT unnest(from_json(json, '{"records": [{"category": "VARCHAR", "properties": {
                   "Timestamp": "TIMESTAMP_NS", "DeviceId": "VARCHAR", "LocalIP": "VARCHAR", "RemoteIP": "VARCHAR",
                   "ActionType": "VARCHAR", "InitiatingProcessFileName": "VARCHAR",
                   "InitiatingProcessFolderPath": "VARCHAR", "PublicIP": "VARCHAR"}}]}').records) AS record
        FROM read_ndjson_objects('{{telemetry}}/eventhub/*.json')
    )
    WHERE record.category IN ('AdvancedHunting-DeviceNetworkEvents', 'AdvancedHunting-DeviceInfo')
),
network_events AS (
    SELECT * FROM records WHERE category = 'AdvancedHunting-DeviceNetworkEvents'
),
device_public_ips AS (
    SELECT DISTINCT coalesce(DeviceId, '') AS DeviceId, coalesce(PublicIP, '') AS PublicIP
    FROM records
    WHERE category = 'AdvancedHunting-DeviceInfo'
)
SELECT n.Timestamp, n.DeviceId, d.PublicIP AS LocalPublicIP, n.LocalIP, n.RemoteIP, t.IPAddress AS TorIP,
       t.Hostname, t.CountryCode, n.ActionType, n.InitiatingProcessFileName, n.InitiatingProcessFolderPath
FROM tor_relays AS t
JOIN network_events AS n ON t.IPAddress = coalesce(n.RemoteIP, '')
JOIN device_public_ips AS d ON coalesce(n.DeviceId, '') = d.DeviceId;
