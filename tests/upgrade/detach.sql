-- Make every pgkyc extension member a plain object, so pg_dump -s shows it.
SELECT format('ALTER EXTENSION %I DROP %s %s', e.extname, replace(upper(o.type), '-', ' '), o.identity)
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.refobjid
CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname LIKE 'kyc\_%'
ORDER BY e.extname, o.type, o.identity \gexec
