-- repoint.sql: what update_code.pl puts at a "-- @repoint" line of an
-- update script, @extension@ and @short@ filled in from the install
-- script's name (kyc_risk, risk).

-- 0.2.0 prefixes every C symbol with the extension's name: @extension@_x
-- where 0.1.0 had x, and kyc_@short@_x where it had @short@_x.  Point each
-- 0.1.0 C function at its new symbol first, keeping everything else it declares,
-- so that what this script runs, and the triggers its statements fire,
-- find their code in the new library.  A function whose symbol 0.2.0 does
-- not have is left as it is: this script drops or replaces it.
DO $repoint$
DECLARE
	f record;
	def text;
BEGIN
	FOR f IN
		SELECT p.oid, p.prosrc,
			   CASE WHEN p.prosrc LIKE '@short@\_%' THEN 'kyc_' || p.prosrc ELSE '@extension@_' || p.prosrc END AS symbol
		FROM pg_catalog.pg_proc p
		JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
			AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
		JOIN pg_catalog.pg_extension x ON x.oid OPERATOR(pg_catalog.=) d.refobjid AND x.extname OPERATOR(pg_catalog.=) '@extension@'
		JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang AND l.lanname OPERATOR(pg_catalog.=) 'c'
		WHERE p.prosrc NOT LIKE '@extension@\_%'
	LOOP
		def := pg_catalog.pg_get_functiondef(f.oid);
		def := pg_catalog.replace(def, pg_catalog.format(', $function$%s$function$', f.prosrc),
								  pg_catalog.format(', $function$%s$function$', f.symbol));
		BEGIN
			EXECUTE def;
		EXCEPTION WHEN undefined_function THEN
			NULL;
		END;
	END LOOP;
END
$repoint$;
