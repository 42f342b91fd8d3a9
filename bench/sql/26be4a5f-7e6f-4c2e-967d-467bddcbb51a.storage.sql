-- DetectTorRelayConnectivity (26be4a5f-...) over Streaming API records to a storage account: one folder tree
-- per table, insights-logs-advancedhunting-<table>/tenantId=.../y=/m=/d=/h=/m=00/PT1H.json, each CRLF line one
-- record {"time", "tenantId", "operationName", "category": "AdvancedHunting-<Table>", "properties": {<row>}}.
-- KQL -> SQL:
--   externaldata (...) [url] with (ignoreFirstRecord=true, format="csv")
--                                  read_csv of the local copy the URL maps to, header skipped, the same ten
--                                  columns and types.
--   | where AddressType == "IPv4"  AddressType = 'IPv4' (== is case-sensitive).
--   DeviceNetworkEvents, DeviceInfo
--                                  the files under insights-logs-advancedhunting-<table lower case>/: the folder
--                                  names the table (as the Streaming API writes it and torhunt reads it), so
--                                  each table's files are read alone.
--   join kind=inner ... on $left.IPAddress == $right.RemoteIP
--                                  INNER JOIN ON IPAddress = RemoteIP.
--   join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
--                                  INNER JOIN (SELECT DISTINCT DeviceId, PublicIP FROM DeviceInfo) ON DeviceId;
--                                  the left side's DeviceId is the one projected, as in Kusto.
--   project ..., LocalPublicIP = PublicIP, TorIP = IPAddress, ...
--                                  the same columns, renamed, in order.
-- Reading: each line is parsed by from_json into a typed struct holding only the properties the query uses.
-- (read_json with the same `properties` struct type gives the same rows but is about 20x slower in DuckDB 2.0
-- on these files, so this is DuckDB's best form.) hive_partitioning = false: the folder names are not columns
-- (and m= is both the month and the minute).
-- A JSON null string is "" in Kusto, and an empty relay-list field is "" too but null in DuckDB, so the join
-- and distinct keys are coalesced to "" (Kusto joins "" with ""; SQL never joins null).
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
network_events AS (
    SELECT unnest(from_json(json, '{"properties": {
               "Timestamp": "TIMESTAMP_NS", "DeviceId": "VARCHAR", "LocalIP": "VARCHAR", "RemoteIP": "VARCHAR",
               "ActionType": "VARCHAR", "InitiatingProcessFileName": "VARCHAR",
               "InitiatingProcessFolderPath": "VARCHAR"}}').properties)
    FROM read_ndjson_objects('{{telemetry}}/insights-logs-advancedhunting-devicenetworkevents/**/*.json',
                             hive_partitioning = false)
),
device_public_ips AS (
    SELECT DISTINCT coalesce(DeviceId, '') AS DeviceId, coalesce(PublicIP, '') AS PublicIP
    FROM (
        SELECT unnest(from_json(json, '{"properties": {"DeviceId": "VARCHAR", "PublicIP": "VARCHAR"}}').properties)
        FROM read_ndjson_objects('{{telemetry}}/insights-logs-advancedhunting-deviceinfo/**/*.json',
                                 hive_partitioning = false)
    )
)
SELECT n.Timestamp, n.DeviceId, d.PublicIP AS LocalPublicIP, n.LocalIP, n.RemoteIP, t.IPAddress AS TorIP,
       t.Hostname, t.CountryCode, n.ActionType, n.InitiatingProcessFileName, n.InitiatingProcessFolderPath
FROM tor_relays AS t
JOIN network_events AS n ON t.IPAddress = coalesce(n.RemoteIP, '')
JOIN device_public_ips AS d ON coalesce(n.DeviceId, '') = d.DeviceId;
