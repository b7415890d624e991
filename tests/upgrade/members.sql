-- Each pgkyc extension's members, and the tables (with their conditions)
-- it has pg_dump keep: what detach.sql erases before pg_dump -s, listed so
-- that the upgrade test compares it too.
SELECT 'member ' || e.extname || ': ' || pg_describe_object(d.classid, d.objid, d.objsubid)
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND e.extname LIKE 'kyc\_%'
UNION ALL
SELECT 'config ' || e.extname || ': ' || c.rel::regclass::text || ' ' || coalesce(c.cond, '')
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS c(rel, cond)
WHERE e.extname LIKE 'kyc\_%'
ORDER BY 1;
