-- What, in the current database, an ordinary role could use to run code as
-- a superuser: one line per object, nothing when the database is clean.
-- make provision refuses a service database where this returns rows.  Run
-- with search_path = pg_catalog, pg_temp.

-- Objects owned by a role that is not a superuser (temporary tables of
-- live sessions aside).
SELECT pg_describe_object(s.classid, s.objid, s.objsubid) || ', owned by ' || r.rolname
FROM pg_shdepend s
JOIN pg_roles r ON r.oid = s.refobjid
LEFT JOIN pg_class c ON s.classid = 'pg_class'::regclass AND c.oid = s.objid
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND s.refclassid = 'pg_authid'::regclass AND s.deptype = 'o'
  AND NOT r.rolsuper AND c.relpersistence IS DISTINCT FROM 't'
UNION ALL
-- Objects owned by pg_database_owner, which pg_shdepend does not record:
-- any member of the old owner role could have made them.  Only public is
-- its by right.
SELECT pg_describe_object(o.classid, o.objid, 0) || ', owned by pg_database_owner'
FROM (
	SELECT 'pg_namespace'::regclass, oid, nspowner FROM pg_namespace WHERE nspname <> 'public'
	UNION ALL SELECT 'pg_class'::regclass, oid, relowner FROM pg_class WHERE relpersistence <> 't'
	UNION ALL SELECT 'pg_proc'::regclass, oid, proowner FROM pg_proc
	UNION ALL SELECT 'pg_type'::regclass, oid, typowner FROM pg_type
	UNION ALL SELECT 'pg_operator'::regclass, oid, oprowner FROM pg_operator
	UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfowner FROM pg_opfamily
	UNION ALL SELECT 'pg_opclass'::regclass, oid, opcowner FROM pg_opclass
	UNION ALL SELECT 'pg_collation'::regclass, oid, collowner FROM pg_collation
	UNION ALL SELECT 'pg_conversion'::regclass, oid, conowner FROM pg_conversion
	UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictowner FROM pg_ts_dict
	UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgowner FROM pg_ts_config
	UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, stxowner FROM pg_statistic_ext
	UNION ALL SELECT 'pg_publication'::regclass, oid, pubowner FROM pg_publication
	UNION ALL SELECT 'pg_extension'::regclass, oid, extowner FROM pg_extension
	UNION ALL SELECT 'pg_largeobject'::regclass, oid, lomowner FROM pg_largeobject_metadata
	UNION ALL SELECT 'pg_foreign_server'::regclass, oid, srvowner FROM pg_foreign_server
	UNION ALL SELECT 'pg_language'::regclass, oid, lanowner FROM pg_language
	UNION ALL SELECT 'pg_default_acl'::regclass, oid, defaclrole FROM pg_default_acl
) AS o (classid, objid, owner)
WHERE o.owner = 'pg_database_owner'::regrole
UNION ALL
-- Schemas an ordinary role may create objects in: a function or operator
-- put there could resolve ahead of the intended one.
SELECT 'schema ' || quote_ident(n.nspname) || ', CREATE granted to ' || coalesce(quote_ident(r.rolname), 'PUBLIC')
FROM pg_namespace n, aclexplode(n.nspacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE a.privilege_type = 'CREATE'
  AND (a.grantee = 0 OR (NOT r.rolsuper AND r.rolname <> 'pg_database_owner'))
UNION ALL
-- A kyc_* schema that no extension lives in: CREATE EXTENSION would use it
-- as it is, with whatever it holds.
SELECT 'schema ' || quote_ident(n.nspname) || ', made before its extension'
FROM pg_namespace n
WHERE n.nspname LIKE 'kyc\_%'
  AND NOT EXISTS (SELECT FROM pg_extension e WHERE e.extnamespace = n.oid)
ORDER BY 1;
