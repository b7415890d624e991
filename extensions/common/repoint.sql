-- repoint.sql: what update_code.pl puts at a "-- @repoint" line of an
-- update script, @extension@ and @short@ filled in from the install
-- script's name (kyc_risk, risk).

-- 0.2.0 prefixes every C symbol with the extension's name: @extension@_x
-- where 0.1.0 had x, and kyc_@short@_x where it had @short@_x.  Point each
-- 0.1.0 C function at its new symbol first, keeping everything else it declares,
-- so that what this script runs, and the triggers its statements fire,
-- find their code in the new library.  A function whose symbol 0.2.0 does
-- not have is left as it is, and one whose arguments 0.2.0 changed
-- (kyc_document.register_document, kyc_events.subscribe) is pointed too:
-- this script drops both kinds before anything calls them.  Any other
-- function not pointed stops the update.
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
		def := pg_catalog.replace(def, pg_catalog.format(', $procedure$%s$procedure$', f.prosrc),
								  pg_catalog.format(', $procedure$%s$procedure$', f.symbol));
		BEGIN
			EXECUTE def;
			IF (SELECT p.prosrc FROM pg_catalog.pg_proc p WHERE p.oid OPERATOR(pg_catalog.=) f.oid)
			   OPERATOR(pg_catalog.<>) f.symbol THEN
				RAISE EXCEPTION 'could not point % at its C symbol %', f.oid::pg_catalog.regprocedure, f.symbol;
			END IF;
		EXCEPTION WHEN undefined_function THEN
			NULL;
		END;
	END LOOP;
END
$repoint$;
