-- DetectTorRelayConnectivity (26be4a5f-...) over flat NDJSON (one file per table, one object of columns per
-- line).
-- KQL -> SQL:
--   externaldata (...) [url] with (ignoreFirstRecord=true, format="csv")
--                                  read_csv of the local copy the URL maps to, header skipped, the same ten
--                                  columns and types.
--   | where AddressType == "IPv4"  AddressType = 'IPv4' (== is case-sensitive).
--   join kind=inner ... on $left.IPAddress == $right.RemoteIP
--                                  INNER JOIN ON IPAddress = RemoteIP.
--   join kind=inner (DeviceInfo | distinct DeviceId, PublicIP) on DeviceId
--                                  INNER JOIN (SELECT DISTINCT DeviceId, PublicIP FROM DeviceInfo) ON DeviceId;
--                                  the left side's DeviceId is the one projected, as in Kusto.
--   project ..., LocalPublicIP = PublicIP, TorIP = IPAddress, ...
--                                  the same columns, renamed, in order.
-- Reading: read_json with the format given and `columns` listing only the columns the query uses, with their
-- Kusto types, so nothing is sampled or inferred and the other keys are skipped. (This was about twice as fast
-- as read_ndjson_objects + from_json on these files.)
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
    SELECT *
    FROM read_json('{{telemetry}}/DeviceNetworkEvents.ndjson', format = 'newline_delimited',
                   columns = {'Timestamp': 'TIMESTAMP_NS', 'DeviceId': 'VARCHAR', 'LocalIP': 'VARCHAR',
                              'RemoteIP': 'VARCHAR', 'ActionType': 'VARCHAR',
                              'InitiatingProcessFileName': 'VARCHAR', 'InitiatingProcessFolderPath': 'VARCHAR'})
),
device_public_ips AS (
    SELECT DISTINCT coalesce(DeviceId, '') AS DeviceId, coalesce(PublicIP, '') AS PublicIP
    FROM read_json('{{telemetry}}/DeviceInfo.ndjson', format = 'newline_delimited',
                   columns = {'DeviceId': 'VARCHAR', 'PublicIP': 'VARCHAR'})
)
SELECT n.Timestamp, n.DeviceId, d.PublicIP AS LocalPublicIP, n.LocalIP, n.RemoteIP, t.IPAddress AS TorIP,
       t.Hostname, t.CountryCode, n.ActionType, n.InitiatingProcessFileName, n.InitiatingProcessFolderPath
FROM tor_relays AS t
JOIN network_events AS n ON t.IPAddress = coalesce(n.RemoteIP, '')
JOIN device_public_ips AS d ON coalesce(n.DeviceId, '') = d.DeviceId;
