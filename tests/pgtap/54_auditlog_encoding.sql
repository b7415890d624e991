-- The canonical encoding of an audit entry (docs/kyc_auditlog.md,
-- "Canonical encoding, version 1"), written again in SQL from the
-- documented format, against row_hash() and the stored integrity_hash, in
-- auditlog_service as auditlog_user.  The C encoder renders jsonb itself,
-- for speed (row_json.c); jsonb's own text output is the reference here.
-- The entries' jsonb holds values of every kind: objects and arrays, empty
-- and nested deep, with more items than jsonb stores offsets for (every
-- 32nd); strings that need escaping and strings that do not, non-ASCII
-- ones and long ones; numbers in every form; booleans, null, and bare
-- scalars.  Their text is NULL, empty or not ASCII, and their inet IPv4,
-- IPv6 or with a prefix.
\c auditlog_service
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
SELECT plan(4);

-- One column: its type byte, then N, or V, an 8-byte big-endian length and the bytes.
CREATE FUNCTION pg_temp.col(tag text, v bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN convert_to(tag || 'N', 'UTF8')
				ELSE convert_to(tag || 'V', 'UTF8') || int8send(length(v)::bigint) || v END
$$;
CREATE FUNCTION pg_temp.s(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT pg_temp.col('s', convert_to(t, 'UTF8'))
$$;
CREATE FUNCTION pg_temp.j(v jsonb) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT pg_temp.col('j', convert_to(v::text, 'UTF8'))
$$;
-- inet: family 4 or 6, prefix bits, then the address bytes (inet_send's, after its 4-byte header).
CREATE FUNCTION pg_temp.a(v inet) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT pg_temp.col('a', set_byte(set_byte('\x0000'::bytea, 0, family(v)), 1, masklen(v))
							|| substring(inet_send(v) FROM 5))
$$;
CREATE FUNCTION pg_temp.encoding(e kyc_auditlog.audit_log_entries) RETURNS bytea LANGUAGE sql AS $$
	SELECT convert_to('kyc_auditlog/row/v1', 'UTF8')
		|| pg_temp.col('u', uuid_send(e.id)) || pg_temp.col('i', int8send(e.entry_seq))
		|| pg_temp.col('x', xid8send(e.xid)) || pg_temp.s(e.event_type) || pg_temp.s(e.entity_type)
		|| pg_temp.s(e.entity_id) || pg_temp.s(e.case_id) || pg_temp.s(e.user_id) || pg_temp.s(e.user_role)
		|| pg_temp.s(e.action) || pg_temp.s(e.description) || pg_temp.j(e.previous_values)
		|| pg_temp.j(e.new_values) || pg_temp.col('t', timestamptz_send(e."timestamp"))
		|| pg_temp.a(e.ip_address) || pg_temp.s(e.user_agent) || pg_temp.s(e.session_id)
		|| pg_temp.s(e.severity) || pg_temp.s(e.compliance_category)
$$;

CREATE TEMP TABLE kinds (n serial, v jsonb);
GRANT SELECT ON kinds TO auditlog_user;
INSERT INTO kinds (v) VALUES
	('{}'), ('[]'), ('{"a": 1}'), ('[1, "two", true, false, null]'), ('"a bare string"'), ('42'),
	('-0.5'), ('1e100'), ('123456789012345678901234567890.000001'), ('1.50'), ('0'), ('-1'),
	('true'), ('false'), ('null'), ('""'),
	('{"z": {"y": [[], {}, [{"x": null}], [[[1]]]]}, "a": [{"b": {"c": "d"}}]}'),
	('{"quote": "say \"hi\"", "back": "a\\b", "nl": "line\nnext", "tab": "\t", "ctl": "\u0001 \u001f", "slash": "/"}'),
	('{"k\"ey": 1, "k\\ey": "v", "k\ney": [true]}'),
	('{"unicode": "Zoë Ørsted 김민수 محمد 😀", "ünï": "ü"}'),
	('{"": "", "b": 1, "a": 2, "aa": 3, "ab": {"": []}}'),
	('"\u00e9\" escaped bare"'),
	(jsonb_build_object('long', repeat('x', 5000) || '"' || repeat('y', 10))),
	((repeat('[', 200) || '"deep"' || repeat(']', 200))::jsonb),
	((SELECT jsonb_object_agg('key' || i, CASE i % 5 WHEN 0 THEN to_jsonb(i) WHEN 1 THEN to_jsonb(i * 1.5)
					  WHEN 2 THEN to_jsonb(repeat('s', i)) WHEN 3 THEN jsonb_build_array(i, 'x', i % 2 = 0)
					  ELSE jsonb_build_object('n', i, 'null', NULL) END)
	  FROM generate_series(1, 100) i)),
	((SELECT jsonb_agg(CASE i % 4 WHEN 0 THEN to_jsonb(repeat('e', i)) WHEN 1 THEN to_jsonb(-i * 0.001)
					   WHEN 2 THEN 'null'::jsonb ELSE jsonb_build_object('i', i) END)
	  FROM generate_series(1, 100) i));

SET ROLE auditlog_user;
INSERT INTO kyc_auditlog.audit_log_entries (event_type, entity_type, entity_id, case_id, user_id, user_role,
											 action, description, previous_values, new_values, ip_address,
											 user_agent, session_id, severity, compliance_category)
SELECT 'encoding.test', 'Case', 'KYC-ENC-' || k.n, CASE WHEN k.n % 3 = 0 THEN NULL ELSE 'KYC-ENC-' || k.n END,
	   'analyst-zoë', CASE WHEN k.n % 4 = 0 THEN NULL ELSE '' END, 'Update',
	   CASE k.n % 3 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'Ünïcode description, "quoted"' END,
	   CASE WHEN k.n % 2 = 0 THEN NULL ELSE (SELECT v FROM kinds p WHERE p.n = (SELECT count(*) FROM kinds) + 1 - k.n) END,
	   k.v,
	   (ARRAY['10.1.2.3', '192.168.0.0/16', '::1', '2001:db8::/32', NULL]::inet[])[k.n % 5 + 1],
	   CASE WHEN k.n % 2 = 0 THEN 'agent/1.0' END, 'sess-' || k.n, 'High', 'KYC'
FROM kinds k;

SELECT is((SELECT count(*)::int FROM kyc_auditlog.audit_log_entries WHERE event_type = 'encoding.test'),
		  (SELECT count(*)::int FROM kinds), 'an entry for each kind of jsonb value');
SELECT is(ARRAY(SELECT e.entity_id FROM kyc_auditlog.audit_log_entries e
				WHERE e.event_type = 'encoding.test'
				  AND kyc_auditlog.row_hash(e) IS DISTINCT FROM encode(sha256(pg_temp.encoding(e)), 'hex')
				ORDER BY e.entry_seq),
		  '{}'::varchar[], 'row_hash() is the SHA-256 of the documented encoding, written in SQL');
SELECT is(ARRAY(SELECT e.entity_id FROM kyc_auditlog.audit_log_entries e
				WHERE e.event_type = 'encoding.test'
				  AND e.integrity_hash IS DISTINCT FROM encode(sha256(pg_temp.encoding(e)), 'hex')
				ORDER BY e.entry_seq),
		  '{}'::varchar[], 'so is the hash the insert stored');
SELECT is((SELECT count(*)::int FROM kyc_auditlog.verify() v
		   WHERE v.entry_id IN (SELECT id FROM kyc_auditlog.audit_log_entries WHERE event_type = 'encoding.test')),
		  0, 'and verify() finds every one of them unchanged');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
